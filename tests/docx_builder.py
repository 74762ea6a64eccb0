"""Small DOCX packages written in code, shaped like real manuscripts.

Real Word and WPS files differ from what pandoc's writer makes: headings that are plain
paragraphs, references numbered by Word (``numPr``) and cited through ``REF`` fields,
equations in OMML, tables with merged cells. :class:`Docx` writes exactly those parts of
WordprocessingML, nothing more, so a test states the shape of the manuscript it converts.

    doc = Docx()
    doc.paragraph("A Case of Something", style="Title")
    doc.paragraph(Run("References", bold=True))
    doc.paragraph("1. Smith J. A paper. J Med. 2020;1:1-2.")
    data = doc.to_bytes()
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK_TYPE = f"{R_NS}/hyperlink"


@dataclass(frozen=True)
class Run:
    """Text with character formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False

    def xml(self, doc: Docx) -> str:
        props = ""
        if self.bold:
            props += "<w:b/>"
        if self.italic:
            props += "<w:i/>"
        if self.superscript:
            props += '<w:vertAlign w:val="superscript"/>'
        props = f"<w:rPr>{props}</w:rPr>" if props else ""
        return f'<w:r>{props}<w:t xml:space="preserve">{escape(self.text)}</w:t></w:r>'


@dataclass(frozen=True)
class Field:
    """A complex field (``REF _Ref1 \\r \\h``) showing ``result``, as Word writes it."""

    instruction: str
    result: str
    superscript: bool = False

    def xml(self, doc: Docx) -> str:
        props = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>' if self.superscript else ""
        return (
            f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{props}<w:instrText xml:space="preserve"> {escape(self.instruction)} '
            "</w:instrText></w:r>"
            f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{props}<w:t xml:space="preserve">{escape(self.result)}</w:t></w:r>'
            f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>'
        )


@dataclass(frozen=True)
class Link:
    """An external hyperlink (``mailto:`` or ``https:``)."""

    target: str
    text: str

    def xml(self, doc: Docx) -> str:
        rid = doc.relationship(HYPERLINK_TYPE, self.target, external=True)
        return f'<w:hyperlink r:id="{rid}">{Run(self.text).xml(doc)}</w:hyperlink>'


@dataclass(frozen=True)
class InternalLink:
    """A hyperlink to a bookmark around other pieces, as WPS writes its cross-references."""

    anchor: str
    pieces: tuple[Run | Field, ...]

    def xml(self, doc: Docx) -> str:
        inner = "".join(p.xml(doc) for p in self.pieces)
        return f"<w:hyperlink w:anchor={quoteattr(self.anchor)}>{inner}</w:hyperlink>"


@dataclass(frozen=True)
class Bookmark:
    """A bookmark around nothing, as Word puts one at the start of a cited paragraph."""

    name: str

    def xml(self, doc: Docx) -> str:
        number = doc.next_bookmark()
        return (
            f'<w:bookmarkStart w:id="{number}" w:name={quoteattr(self.name)}/>'
            f'<w:bookmarkEnd w:id="{number}"/>'
        )


@dataclass(frozen=True)
class Math:
    """An OMML equation; ``omml`` is the content of ``m:oMath``."""

    omml: str
    display: bool = False

    def xml(self, doc: Docx) -> str:
        math = f"<m:oMath>{self.omml}</m:oMath>"
        return f"<m:oMathPara>{math}</m:oMathPara>" if self.display else math


def omml_fraction(numerator: str, denominator: str) -> str:
    """``numerator / denominator`` as an OMML fraction."""
    return (
        f"<m:f><m:num><m:r><m:t>{escape(numerator)}</m:t></m:r></m:num>"
        f"<m:den><m:r><m:t>{escape(denominator)}</m:t></m:r></m:den></m:f>"
    )


def omml_text(text: str) -> str:
    return f"<m:r><m:t>{escape(text)}</m:t></m:r>"


@dataclass(frozen=True)
class Cell:
    """A table cell; ``span`` merges columns (gridSpan), ``vmerge`` rows ("restart"/"continue")."""

    text: str = ""
    span: int = 1
    vmerge: str | None = None


Piece = str | Run | Field | Link | InternalLink | Bookmark | Math


class Docx:
    """A WordprocessingML package assembled paragraph by paragraph."""

    def __init__(self, *, numbered_list: bool = True) -> None:
        self.blocks: list[str] = []
        self.relationships: list[tuple[str, str, str, bool]] = []
        self.bookmarks = 0
        self.numbered_list = numbered_list

    def relationship(self, kind: str, target: str, *, external: bool = False) -> str:
        rid = f"rIdX{len(self.relationships) + 1}"
        self.relationships.append((rid, kind, target, external))
        return rid

    def next_bookmark(self) -> int:
        self.bookmarks += 1
        return self.bookmarks

    def paragraph(
        self,
        *pieces: Piece,
        style: str | None = None,
        numbered: bool = False,
        align: str | None = None,
    ) -> Docx:
        """A paragraph; ``numbered``: an item of Word's own decimal numbering (numPr)."""
        props = ""
        if style:
            props += f'<w:pStyle w:val="{style}"/>'
        if numbered:
            props += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        if align:
            props += f'<w:jc w:val="{align}"/>'
        body = "".join(Run(p).xml(self) if isinstance(p, str) else p.xml(self) for p in pieces)
        self.blocks.append(f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{body}</w:p>")
        return self

    def heading(self, text: str, level: int = 1) -> Docx:
        return self.paragraph(text, style=f"Heading{level}")

    def table(self, rows: list[list[Cell | str]]) -> Docx:
        columns = max(sum(c.span if isinstance(c, Cell) else 1 for c in row) for row in rows)
        grid = "".join('<w:gridCol w:w="1800"/>' for _ in range(columns))
        out = [
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ]
        for row in rows:
            out.append("<w:tr>")
            for cell in row:
                cell = cell if isinstance(cell, Cell) else Cell(cell)
                props = ""
                if cell.span > 1:
                    props += f'<w:gridSpan w:val="{cell.span}"/>'
                if cell.vmerge == "restart":
                    props += '<w:vMerge w:val="restart"/>'
                elif cell.vmerge:
                    props += "<w:vMerge/>"
                props = f"<w:tcPr>{props}</w:tcPr>" if props else ""
                out.append(f"<w:tc>{props}<w:p>{Run(cell.text).xml(self)}</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.blocks.append("".join(out))
        return self

    def to_bytes(self) -> bytes:
        document = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W_NS}" xmlns:m="{M_NS}" xmlns:r="{R_NS}">'
            f"<w:body>{''.join(self.blocks)}<w:sectPr/></w:body></w:document>"
        )
        rels = [
            ("rIdStyles", f"{R_NS}/styles", "styles.xml", False),
            ("rIdNumbering", f"{R_NS}/numbering", "numbering.xml", False),
            *self.relationships,
        ]
        document_rels = "".join(
            f'<Relationship Id="{rid}" Type="{kind}" Target={quoteattr(target)}'
            f"{' TargetMode=' + quoteattr('External') if external else ''}/>"
            for rid, kind, target, external in rels
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("[Content_Types].xml", CONTENT_TYPES)
            package.writestr("_rels/.rels", PACKAGE_RELS)
            package.writestr("word/document.xml", document)
            package.writestr(
                "word/_rels/document.xml.rels",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships">{document_rels}</Relationships>',
            )
            package.writestr("word/styles.xml", STYLES)
            package.writestr("word/numbering.xml", NUMBERING)
        return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.numbering+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _style(style_id: str, name: str, outline: int | None = None) -> str:
    level = f'<w:pPr><w:outlineLvl w:val="{outline}"/></w:pPr>' if outline is not None else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="Normal"/>{level}</w:style>'
    )


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:styles xmlns:w="{W_NS}">'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    + _style("Title", "Title")
    + "".join(_style(f"Heading{n}", f"heading {n}", n - 1) for n in (1, 2, 3))
    + '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>'
    "</w:styles>"
)
NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:numbering xmlns:w="{W_NS}">'
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/><w:lvlText w:val="[%1]"/><w:lvlJc w:val="left"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    "</w:numbering>"
)


# --- manuscripts shaped like real ones ---------------------------------------------------

CASE_REPORT_REFERENCES = [
    "Smith J, Brown K. Acute kidney injury after contrast imaging. N Engl J Med. "
    "2019;380(4):355-364. doi:10.1056/NEJMoa1800001",
    "Garcia M, Lopez A, Chen W. Rhabdomyolysis in marathon runners. Clin J Sport Med. "
    "2018;28(2):112-118.",
    "Okafor N. Statin myopathy revisited. Lancet. 2020;395:1021-1030.",
    "Müller T, Weber F. Creatine kinase kinetics. Muscle Nerve. 2017;55(6):822-829.",
    "Tanaka H, Sato Y. Exertional heat illness. J Appl Physiol. 2016;120(9):1003-1010.",
    "Ivanova E, Petrov S. Viral myositis in adults. Clin Infect Dis. 2021;72(3):401-408.",
    "Brown A, Green B. Fluid therapy in crush injury. Crit Care. 2015;19:210.",
    "Khan R, Ali S. Hypokalaemic paralysis. BMJ Case Rep. 2019;12:e228001.",
    "Rossi P. Drug-induced muscle injury. Drug Saf. 2018;41(7):655-662.",
    "Nguyen T, Tran L. Dialysis in rhabdomyolysis. Kidney Int. 2020;97(5):912-920.",
    "Dubois C. Compartment syndrome after exercise. J Bone Joint Surg. 2014;96(8):660-667.",
    "Andersen K, Holm J. Genetic myopathies in adults. Neurology. 2022;98(2):e150-e158.",
    "Silva R, Costa M. Energy drinks and muscle injury. Am J Med. 2017;130(11):1321-1325.",
    "Lee S, Park J. Follow-up of exertional rhabdomyolysis. Sports Health. 2021;13(4):380-386.",
]


def case_report() -> bytes:
    """A case report as clinicians write it: headings in Word styles, but "References" a bold
    plain paragraph, its 14 entries typed numbers, the fifth one styled as a heading, and
    the figure legends after the list; citations as "[1]", "[2-4]" and superscripts."""
    doc = Docx()
    doc.paragraph("Exertional rhabdomyolysis in a young runner", style="Title")
    doc.heading("Introduction")
    doc.paragraph(
        "Rhabdomyolysis after exercise is common [1]. Its causes overlap [2-4], and drugs "
        "add to the risk",
        Run("5,6", superscript=True),
        ". Heat and infection matter too [7, 8].",
    )
    doc.heading("Case presentation")
    doc.paragraph(
        "A 24-year-old man ran 42 km and presented with dark urine (Figure 1). Creatine "
        "kinase peaked at 10",
        Run("5", superscript=True),
        " U/L. Similar courses were described [9] and [10-12].",
    )
    doc.heading("Discussion")
    doc.paragraph("Early fluids prevented dialysis, as in earlier reports [13, 14].")
    doc.paragraph(Run("References", bold=True))
    for number, text in enumerate(CASE_REPORT_REFERENCES, 1):
        doc.paragraph(f"{number}. {text}", style="Heading2" if number == 5 else None)
    doc.paragraph(Run("Figure 1.", bold=True), " Urine sample on admission.")
    doc.paragraph(Run("Figure 2.", bold=True), " Creatine kinase over the first week.")
    return doc.to_bytes()


GBT_REFERENCES = [
    "王明, 李华. 在线学习中的自适应反馈研究[J]. 中国电化教育, 2020, 41(3): 45-52.",
    "张伟. 教育数据挖掘导论[M]. 北京: 高等教育出版社, 2018: 12-30.",
    "陈静. 数字教育评价模型研究[D]. 上海: 华东师范大学, 2019.",
    "Smith J, Doe A. Feedback in online courses[J]. Computers & Education, 2020, 150: 103832.",
    "刘洋, 赵磊, 孙强. 学习分析的伦理问题[J]. 远程教育杂志, 2021, 39(2): 3-11.",
    "Lee K. Hints and learning[J]. Journal of Educational Psychology, 2019, 111(3): 401-415.",
]


def wps_chinese_paper(tables: int = 1) -> bytes:
    """A Chinese paper as WPS Office saves it: title, authors and abstract as unstyled
    paragraphs, numbered headings, OMML equations (inline and display), tables with merged
    cells, references numbered by Word ("[1]" from numPr) with bookmarks under an unstyled
    "参考文献：" line, and citations as superscript ``REF`` fields that point at those
    bookmarks, one of them also inside a hyperlink to its bookmark (a link in a link).
    ``tables``: how many times the method's table (and its three equations) is repeated,
    for a paper of a real one's size (the one that failed had 17 tables, 162 equations)."""
    doc = Docx()
    doc.paragraph(Run("在线学习中自适应反馈的效果研究", bold=True), align="center")
    doc.paragraph("王明1，李华2", align="center")
    doc.paragraph("（1. 北京师范大学 教育学部，北京 100875；2. 华东师范大学，上海 200062）")
    doc.paragraph(
        Run("摘要：", bold=True), "本文研究在线学习中自适应反馈的效果。结果表明反馈提高了成绩。"
    )
    doc.paragraph(Run("关键词：", bold=True), "自适应反馈；在线学习；学习分析")
    doc.heading("一、引言")
    doc.paragraph(
        "已有研究表明反馈能够提高学习效果",
        Field("REF _Ref1001 \\r \\h", "[1]", superscript=True),
        "，但其机制尚不清楚",
        Field("REF _Ref1002 \\r \\h", "[2]", superscript=True),
        Field("REF _Ref1003 \\r \\h", "[3]", superscript=True),
        "。国外研究也有类似结论",
        # WPS also writes a cross-reference as a hyperlink to the bookmark around the field.
        InternalLink("_Ref1004", (Field("REF _Ref1004 \\r \\h", "[4]", superscript=True),)),
        "。",
    )
    doc.heading("二、研究方法")
    for number in range(1, tables + 1):
        doc.paragraph(
            "成绩提升率定义为 ",
            Math(omml_fraction("Δs", "s₀")),
            "，其中 ",
            Math(omml_text("s₀")),
            " 为前测成绩。",
        )
        doc.paragraph(
            Math(omml_text("E=") + omml_fraction("1", "n") + omml_text("∑x"), display=True)
        )
        doc.paragraph(f"表{number} 各组成绩")
        doc.table(
            [
                [Cell("组别", vmerge="restart"), Cell("成绩", span=2)],
                [Cell(vmerge="continue"), "前测", "后测"],
                ["实验组", "72.1", "80.3"],
                ["对照组", "71.8", "74.0"],
            ]
        )
    doc.heading("三、结论")
    doc.paragraph(
        "自适应反馈有效",
        Field("REF _Ref1005 \\r \\h", "[5]", superscript=True),
        Field("REF _Ref1006 \\r \\h", "[6]", superscript=True),
        "。",
    )
    doc.paragraph(Run("参考文献：", bold=True))
    for number, text in enumerate(GBT_REFERENCES, 1):
        doc.paragraph(Bookmark(f"_Ref{1000 + number}"), text, numbered=True)
    return doc.to_bytes()


def pandoc_english_paper() -> bytes:
    """An English paper as pandoc's docx writer leaves it when the author typed the front
    matter: the title styled, but authors with superscript affiliation markers, the
    affiliations and the corresponding author's email as ordinary paragraphs before the
    first heading; author-year citations and an "References" heading over plain entries."""
    doc = Docx()
    doc.paragraph("Hints and feedback in online mathematics", style="Title")
    doc.paragraph(
        "Ana Silva",
        Run("1", superscript=True),
        ", Wei Chen",
        Run("2", superscript=True),
        ", Maria Rossi",
        Run("1,2", superscript=True),
    )
    doc.paragraph(Run("1", superscript=True), "Department of Education, University of Porto")
    doc.paragraph(Run("2", superscript=True), "School of Mathematics, Tsinghua University")
    doc.paragraph(
        Run("*", superscript=True),
        "Correspondence: ",
        Link("mailto:ana.silva@example.org", "ana.silva@example.org"),
    )
    doc.heading("Introduction")
    doc.paragraph(
        "Hints help students (Smith & Doe, 2020), and so does feedback [1]. Later work "
        "agreed (Lee, 2019)."
    )
    doc.heading("References")
    doc.paragraph(
        "Lee, K. (2019). Hints and learning. Journal of Educational Psychology, 111(3), 401-415."
    )
    doc.paragraph(
        "Smith, J., & Doe, A. (2020). Feedback in online courses. Computers & Education, "
        "150, 103832. https://doi.org/10.1016/j.compedu.2020.103832"
    )
    return doc.to_bytes()
