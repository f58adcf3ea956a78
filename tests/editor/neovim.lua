-- Neovim's built-in LSP client against `declint lsp` (.ci/steps/45-editor.sh): open a
-- record of the log in $LOG_ROOT, wait for the server's diagnostics and write them to
-- $OUT, one a line: `LINE:COL CODE MESSAGE` (the message's first line); then fix one
-- finding in the buffer without saving and write the diagnostics again. Written for the
-- client API of Debian's Neovim 0.7 (start_client + buf_attach_client), which later
-- versions still have.
local root = os.getenv("LOG_ROOT")
local out = io.open(os.getenv("OUT"), "w")
vim.cmd("edit " .. vim.fn.fnameescape(root .. "/decisions/0002-cache.md"))
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = "declint",
  cmd = { os.getenv("DECLINT_BIN"), "lsp" },
  root_dir = root,
  on_exit = function(code) out:write("server exited with " .. code .. "\n") end,
})
vim.lsp.buf_attach_client(buf, client)
local got = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
if not got then
  out:write("no diagnostics within 30 s\n")
end
local function write_diagnostics()
  local diagnostics = vim.diagnostic.get(buf)
  table.sort(diagnostics, function(a, b) return a.lnum < b.lnum end)
  for _, d in ipairs(diagnostics) do
    local lsp = (d.user_data or {}).lsp or {}
    local code = d.code or lsp.code or "?"
    local first = vim.split(d.message, "\n", { plain = true })[1]
    out:write(string.format("%d:%d %s %s\n", d.lnum + 1, d.col + 1, code, first))
  end
end
write_diagnostics()
-- Type the missing letter of `acepted` (the client sends an incremental change, unsaved):
-- the status finding goes, the link finding stays.
out:write("-- after fixing the status\n")
vim.api.nvim_buf_set_text(buf, 3, 9, 3, 9, { "c" })
vim.wait(30000, function() return #vim.diagnostic.get(buf) == 1 end, 50)
write_diagnostics()
out:close()
vim.lsp.stop_client(client)
vim.cmd("qall!")
