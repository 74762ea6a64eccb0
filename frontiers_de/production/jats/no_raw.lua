-- pandoc Lua filter run first on every manuscript (frontiers_de.production.jats.pandoc).
--
-- An author's raw markup never reaches the article: a Markdown ```{=jats}``` block or
-- `...`{=jats} span would otherwise be copied into the JATS as it is (a script included),
-- and raw HTML or TeX has no meaning in JATS. Every RawBlock and RawInline is removed, in
-- the body and in the metadata (title, abstract), whatever its format; the text between
-- raw HTML tags stays. Each kind removed is counted and reported as one warning that
-- the conversion (convert/pipeline.py) turns into a line of its report.

local counts = {}

local function drop(element)
  local key = element.t .. ' ' .. element.format
  counts[key] = (counts[key] or 0) + 1
  return {}
end

local function report(doc)
  local keys = {}
  for key in pairs(counts) do table.insert(keys, key) end
  table.sort(keys)
  for _, key in ipairs(keys) do
    pandoc.log.warn('fde-raw-removed: ' .. key .. ' ' .. counts[key])
  end
  return doc
end

return {
  { RawBlock = drop, RawInline = drop },
  { Pandoc = report },
}
