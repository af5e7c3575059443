-- wrk script for Benchmarks/http-load.sh: every request is the next query of the search mix, so the load is the
-- same mix the Domain benchmark "Search mix" measures (see CatalogueBenchmarks.swift), now through HTTP, routing,
-- JSON encoding and the catalogue cache.
--
-- Usage: wrk -s search-mix.lua http://127.0.0.1:18090     (optional arguments after `--` are appended to every
-- query string, e.g. `-- '&agency=BTC'`)

local queries = {
  "dang ky khai sinh",
  "Đăng ký khai sinh",
  "khai sinh",
  "1.001193",
  "giay phep lai xe",
  "thue thu nhap ca nhan",
  "cap lai",
  "xay dung",
}

-- Percent-encode everything but RFC 3986's unreserved characters; works byte by byte, so the UTF-8 of
-- "Đăng ký" becomes %C4%90%C4%83ng%20k%C3%BD as a browser would send it.
local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}
local extra = ""

function init(args)
  extra = args[1] or ""
  for i, q in ipairs(queries) do
    paths[i] = "/api/v1/procedures?q=" .. encode(q) .. "&per=20" .. extra
  end
end

-- Each wrk thread has its own Lua state, so this counter is per thread; every thread still cycles the whole mix.
local counter = 0

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter - 1) % #paths + 1])
end
