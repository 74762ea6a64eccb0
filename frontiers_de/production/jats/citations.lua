-- pandoc Lua filter used by frontiers_de.production.jats.convert.
--
-- Citations that pandoc read as Cite elements (Zotero/Mendeley field codes in DOCX, @keys in
-- Markdown) become JATS <xref ref-type="bibr"> around the text the author's document shows,
-- so "(1,2)" stays "(1,2)" but now links to the references. When pandoc's citeproc runs
-- afterwards, `nocite: @*` makes it write every known reference into the ref-list without
-- re-rendering the in-text citations (there are no Cite elements left for it to change).

local function escape(s)
  return (s:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'):gsub('"', '&quot;'))
end

function Cite(cite)
  local ids = {}
  for _, citation in ipairs(cite.citations) do
    table.insert(ids, 'ref-' .. citation.id)
  end
  local open = '<xref ref-type="bibr" rid="' .. escape(table.concat(ids, ' ')) .. '">'
  local result = pandoc.List({pandoc.RawInline('jats', open)})
  -- LaTeX \cite comes with only its own source as raw LaTeX, which JATS output drops.
  local shown = pandoc.utils.stringify(cite.content:filter(function (il)
    return il.t ~= 'RawInline'
  end))
  if shown ~= '' then
    result:extend(cite.content)
  else
    -- LaTeX \cite has no text of its own; the converter replaces the keys with labels.
    local keys = {}
    for _, citation in ipairs(cite.citations) do table.insert(keys, citation.id) end
    result:insert(pandoc.Str('[' .. table.concat(keys, ', ') .. ']'))
  end
  result:insert(pandoc.RawInline('jats', '</xref>'))
  return result
end

function Meta(meta)
  local all = pandoc.Citation('*', 'NormalCitation')
  meta.nocite = pandoc.MetaInlines({pandoc.Cite({pandoc.Str('@*')}, {all})})
  return meta
end
