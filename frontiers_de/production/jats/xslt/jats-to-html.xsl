<?xml version="1.0" encoding="UTF-8"?>
<!--
  JATS (1.1-1.4, Publishing or Archiving, and NLM 3.0) to the reader HTML of the article page.

  Output: one <article> element (an HTML fragment; frontiers_de/production/jats/html.py wraps
  it into a standalone document for the command line). MathML is copied into the MathML
  namespace, which HTML parsers place in <math> so browsers render it.

  Safety: nothing from the input is copied wholesale. Only ids, languages and a short list of
  table and MathML attributes are carried over; every link goes through "safe-url", which
  keeps http(s), mailto, ftp and relative URLs and drops anything else (javascript:, data:,
  vbscript: ...). Text is escaped by the serialiser, so markup-like text stays text.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:mml="http://www.w3.org/1998/Math/MathML"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:ali="http://www.niso.org/schemas/ali/1.0/"
    xmlns:str="http://exslt.org/strings"
    xmlns:xhtml="http://www.w3.org/1999/xhtml"
    xmlns:svg="http://www.w3.org/2000/svg"
    xmlns:fde="urn:x-fde:jats-html"
    extension-element-prefixes="str fde"
    exclude-result-prefixes="mml xlink ali str xhtml svg fde">

  <xsl:output method="html" encoding="UTF-8" indent="no"/>
  <xsl:strip-space elements="article sub-article front back body sec app app-group ack
      ref-list ref fig fig-group table-wrap table thead tbody tfoot tr colgroup list def-list
      def-item contrib-group contrib aff caption boxed-text fn-group title-group
      article-meta front-stub permissions kwd-group history abstract trans-abstract
      element-citation alternatives disp-formula table-wrap-foot floats-group
      supplementary-material glossary notes author-notes name-alternatives"/>

  <!-- Prefix for relative graphic and file URLs (the app passes its asset route). -->
  <xsl:param name="asset-base" select="''"/>
  <!-- Put before every id (and every #link) so that ids of the article cannot collide with,
       or shadow as window properties, the ids of the page the fragment is embedded in. -->
  <xsl:param name="id-prefix" select="''"/>

  <xsl:variable name="MATHML" select="'http://www.w3.org/1998/Math/MathML'"/>
  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>

  <!-- MathML attributes browsers render; all others (href, style, on*, class ...) are dropped. -->
  <xsl:variable name="mathml-attributes" select="' display mathvariant mathsize displaystyle scriptlevel fence separator separators stretchy symmetric largeop movablelimits accent accentunder lspace rspace minsize maxsize form linethickness columnalign rowalign columnspan rowspan columnlines rowlines columnspacing rowspacing frame framespacing equalrows equalcolumns align notation width height depth voffset open close dir alttext bevelled numalign denomalign subscriptshift superscriptshift mathcolor mathbackground '"/>

  <!-- every xref that names an id (rid is a space-separated list) -->
  <xsl:key name="xrefs-to" match="xref" use="str:tokenize(@rid, ' &#9;&#10;&#13;')"/>
  <xsl:key name="by-id" match="*[@id]" use="@id"/>

  <!-- ============================================================ document -->

  <xsl:template match="/">
    <xsl:apply-templates select="*"/>
  </xsl:template>

  <xsl:template match="/*[not(self::article)]">
    <article class="jats-article">
      <xsl:apply-templates/>
    </article>
  </xsl:template>

  <xsl:template match="article | sub-article | response">
    <xsl:variable name="meta" select="front/article-meta | front-stub"/>
    <article>
      <xsl:attribute name="class">
        <xsl:choose>
          <xsl:when test="self::article">jats-article</xsl:when>
          <xsl:otherwise>sub-article</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:call-template name="id"/>
      <xsl:call-template name="lang"/>
      <xsl:if test="@article-type or @response-type">
        <xsl:attribute name="data-article-type">
          <xsl:value-of select="@article-type | @response-type"/>
        </xsl:attribute>
      </xsl:if>
      <xsl:apply-templates select="$meta" mode="header"/>
      <xsl:apply-templates select="$meta/abstract | $meta/trans-abstract"/>
      <xsl:apply-templates select="$meta/kwd-group"/>
      <!-- notes of the front matter: a reviewed preprint's assessment, for one -->
      <xsl:apply-templates select="front/notes | $meta/notes"/>
      <xsl:apply-templates select="body"/>
      <xsl:apply-templates select="back"/>
      <xsl:apply-templates select="floats-group"/>
      <xsl:call-template name="inline-footnotes"/>
      <xsl:apply-templates select="sub-article | response"/>
    </article>
  </xsl:template>

  <xsl:template name="id">
    <xsl:param name="node" select="."/>
    <xsl:if test="$node/@id">
      <xsl:attribute name="id"><xsl:value-of select="concat($id-prefix, $node/@id)"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- The id of a part of the article (a section, the abstract, the references): its own,
       else one made from its place, so that the page's contents can link to every part. -->
  <xsl:template name="part-id">
    <xsl:attribute name="id">
      <xsl:choose>
        <xsl:when test="@id"><xsl:value-of select="concat($id-prefix, @id)"/></xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="$id-prefix"/>
          <xsl:text>part-</xsl:text>
          <xsl:number level="any" count="sec | app | app-group | notes | glossary | bio | ack
              | abstract | trans-abstract | fn-group | ref-list"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:attribute>
  </xsl:template>

  <xsl:template name="lang">
    <xsl:if test="@xml:lang">
      <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- The heading level of a container: 1 for the article title, +1 per enclosing part. -->
  <xsl:template name="heading-level">
    <xsl:param name="node" select="."/>
    <xsl:variable name="depth" select="1 + count($node/ancestor-or-self::sub-article | $node/ancestor-or-self::response)
        + count($node/ancestor-or-self::*[self::sec or self::app or self::ack or self::abstract
            or self::trans-abstract or self::notes or self::glossary or self::ref-list
            or self::boxed-text or self::fn-group or self::app-group[title] or self::bio])"/>
    <xsl:choose>
      <xsl:when test="$depth &gt; 6">6</xsl:when>
      <xsl:otherwise><xsl:value-of select="$depth"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- h2..h6 for a container: its label and title, or a default text when it has none.
       A default word of the interface (l10n: its key in production/jats/labels.py) is
       marked so that the article page shows it in the reader's language; so is a title
       that is only that word. -->
  <xsl:template name="heading">
    <xsl:param name="default" select="''"/>
    <xsl:param name="l10n" select="''"/>
    <!-- a language code: the heading ends with that language's name (see language-label) -->
    <xsl:param name="language" select="''"/>
    <xsl:variable name="level">
      <xsl:call-template name="heading-level"/>
    </xsl:variable>
    <xsl:variable name="title" select="title[1] | caption/title[1][not(current()/title)]"/>
    <xsl:if test="$title or label or $default != ''">
      <xsl:element name="h{$level}">
        <xsl:if test="label">
          <span class="label"><xsl:apply-templates select="label/node()"/></span>
          <xsl:text> </xsl:text>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="$l10n != '' and (not($title) and not(label) or normalize-space($title) = $default)">
            <span data-l10n="{$l10n}"><xsl:value-of select="$default"/></span>
          </xsl:when>
          <xsl:when test="$title"><xsl:apply-templates select="$title/node()"/></xsl:when>
          <xsl:when test="not(label)"><xsl:value-of select="$default"/></xsl:when>
        </xsl:choose>
        <xsl:if test="$language != ''">
          <xsl:text> </xsl:text>
          <xsl:call-template name="language-label">
            <xsl:with-param name="code" select="$language"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ header -->

  <xsl:template match="article-meta | front-stub" mode="header">
    <header class="article-header">
      <xsl:variable name="heading" select="article-categories/subj-group[@subj-group-type='heading' or @subj-group-type='display-channel'][1]/subject[1]"/>
      <xsl:if test="$heading">
        <p class="article-type" data-l10n="section"><xsl:apply-templates select="$heading/node()"/></p>
      </xsl:if>
      <xsl:variable name="level" select="1 + count(ancestor::sub-article | ancestor::response)"/>
      <xsl:element name="h{$level}">
        <xsl:attribute name="class">article-title</xsl:attribute>
        <xsl:apply-templates select="title-group/article-title/node()"/>
      </xsl:element>
      <xsl:for-each select="title-group/subtitle">
        <p class="subtitle"><xsl:apply-templates/></p>
      </xsl:for-each>
      <xsl:for-each select="title-group/trans-title-group">
        <p class="trans-title">
          <xsl:call-template name="lang"/>
          <xsl:call-template name="language-label">
            <xsl:with-param name="code" select="@xml:lang"/>
          </xsl:call-template>
          <xsl:text> </xsl:text>
          <xsl:apply-templates select="trans-title/node()"/>
          <xsl:for-each select="trans-subtitle">
            <xsl:text>: </xsl:text><xsl:apply-templates/>
          </xsl:for-each>
        </p>
      </xsl:for-each>
      <xsl:variable name="authors" select="contrib-group/contrib[not(@contrib-type) or @contrib-type='author']"/>
      <xsl:if test="$authors">
        <ul class="authors" aria-label="Authors" data-l10n-aria="authors">
          <xsl:apply-templates select="$authors" mode="header"/>
        </ul>
      </xsl:if>
      <xsl:variable name="others" select="contrib-group/contrib[@contrib-type and @contrib-type!='author']"/>
      <xsl:if test="$others">
        <ul class="contributors" aria-label="Other contributors" data-l10n-aria="contributors">
          <xsl:apply-templates select="$others" mode="header"/>
        </ul>
      </xsl:if>
      <xsl:variable name="affs" select="descendant::aff[not(ancestor::contrib) or not(ancestor::contrib/xref[@ref-type='aff'])][not(ancestor::ref)]"/>
      <xsl:if test="$affs">
        <ul class="affiliations" aria-label="Affiliations" data-l10n-aria="affiliations">
          <xsl:apply-templates select="$affs" mode="header"/>
        </ul>
      </xsl:if>
      <xsl:apply-templates select="author-notes" mode="header"/>
      <xsl:call-template name="article-info"/>
    </header>
  </xsl:template>

  <xsl:template match="contrib" mode="header">
    <li class="contrib">
      <xsl:call-template name="id"/>
      <span class="contrib-name">
        <xsl:call-template name="contrib-name"/>
      </span>
      <xsl:if test="@contrib-type and @contrib-type != 'author'">
        <span class="contrib-role">
          <xsl:text> (</xsl:text>
          <xsl:choose>
            <xsl:when test="role"><xsl:value-of select="normalize-space(role[1])"/></xsl:when>
            <xsl:otherwise><span data-l10n="contrib-type"><xsl:value-of select="@contrib-type"/></span></xsl:otherwise>
          </xsl:choose>
          <xsl:text>)</xsl:text>
        </span>
      </xsl:if>
      <!-- marks that lead somewhere on the page (funding and other metadata targets are not shown) -->
      <xsl:variable name="marks" select="xref[key('by-id', normalize-space(substring-before(concat(normalize-space(@rid), ' '), ' ')))[self::aff or self::fn or self::corresp or ancestor::author-notes]]
          | aff[not(../xref[@ref-type='aff'])]"/>
      <xsl:if test="$marks">
        <sup class="contrib-marks">
          <xsl:for-each select="$marks">
            <xsl:if test="position() &gt; 1">,</xsl:if>
            <xsl:apply-templates select="." mode="contrib-mark"/>
          </xsl:for-each>
        </sup>
      </xsl:if>
      <xsl:if test="@corresp='yes' and not(xref[@ref-type='corresp'])">
        <span class="corresp" title="Corresponding author" aria-label="Corresponding author" data-l10n-aria="corresponding-author">*</span>
      </xsl:if>
      <xsl:for-each select="contrib-id[translate(@contrib-id-type, $upper, $lower)='orcid' or contains(., 'orcid.org')]">
        <xsl:variable name="value" select="normalize-space(.)"/>
        <xsl:variable name="orcid">
          <xsl:choose>
            <xsl:when test="contains($value, 'orcid.org/')"><xsl:value-of select="substring-after($value, 'orcid.org/')"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$value"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:text> </xsl:text>
        <!-- only something shaped like an iD becomes a link (fde jats check verifies the digit) -->
        <xsl:if test="string-length($orcid) = 19 and translate($orcid, '0123456789X-', '') = ''">
        <!-- the iD icon only, no visible text: the link's name is its aria-label, and
             title shows it on hover -->
        <a class="orcid" href="https://orcid.org/{$orcid}" data-l10n-aria="orcid-of">
          <xsl:variable name="label">
            <xsl:text>ORCID iD of </xsl:text>
            <xsl:for-each select="..">
              <xsl:call-template name="contrib-name-text"/>
            </xsl:for-each>
          </xsl:variable>
          <xsl:attribute name="aria-label"><xsl:value-of select="$label"/></xsl:attribute>
          <xsl:attribute name="title"><xsl:value-of select="$label"/></xsl:attribute>
          <svg class="orcid-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="12" fill="#a6ce39"/><path fill="#fff" d="M8.2 17.6H6.7V7.1h1.5zM7.4 4.9a1 1 0 1 1 0 2 1 1 0 0 1 0-2zm3 2.2h4c3.8 0 5.5 2.7 5.5 5.3 0 2.8-2.2 5.2-5.5 5.2h-4zm1.5 9.1h2.4c3.4 0 4.2-2.6 4.2-3.9 0-2.1-1.3-3.9-4.2-3.9h-2.4z"/></svg>
        </a>
        </xsl:if>
      </xsl:for-each>
      <!-- only the corresponding author's address is shown: co-authors gave theirs to the
           journal, not to every reader -->
      <xsl:for-each select="email[../@corresp='yes' or ../xref[@ref-type='corresp']]">
        <xsl:text> </xsl:text>
        <xsl:apply-templates select="."/>
      </xsl:for-each>
    </li>
  </xsl:template>

  <!-- the superscript marks after an author's name: affiliations, notes, correspondence -->
  <xsl:template match="xref" mode="contrib-mark">
    <xsl:variable name="target" select="key('by-id', normalize-space(substring-before(concat(normalize-space(@rid), ' '), ' ')))[1]"/>
    <xsl:variable name="text">
      <xsl:choose>
        <xsl:when test="normalize-space(.)"><xsl:value-of select="normalize-space(.)"/></xsl:when>
        <xsl:when test="$target/self::aff">
          <xsl:for-each select="$target"><xsl:call-template name="aff-number"/></xsl:for-each>
        </xsl:when>
        <xsl:when test="normalize-space($target/label)"><xsl:value-of select="normalize-space($target/label)"/></xsl:when>
        <xsl:when test="@ref-type='corresp'">*</xsl:when>
        <xsl:otherwise>†</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$target">
        <a href="#{$id-prefix}{$target/@id}" class="xref xref-{translate(@ref-type, ' ', '-')}">
          <xsl:if test="@ref-type='corresp'">
            <xsl:attribute name="aria-label">Corresponding author</xsl:attribute>
            <xsl:attribute name="data-l10n-aria">corresponding-author</xsl:attribute>
          </xsl:if>
          <xsl:value-of select="$text"/>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="aff" mode="contrib-mark">
    <a href="#{$id-prefix}aff-{generate-id()}" class="xref xref-aff">
      <xsl:call-template name="aff-number"/>
    </a>
  </xsl:template>

  <xsl:template name="contrib-name">
    <xsl:variable name="names" select="name | name-alternatives/name | string-name | name-alternatives/string-name | collab | collab-alternatives/collab"/>
    <xsl:variable name="primary" select="($names[not(@xml:lang) or starts-with(@xml:lang, 'en')] | $names)[1]"/>
    <xsl:apply-templates select="$primary" mode="name"/>
    <xsl:for-each select="$names[count(. | $primary) != 1]">
      <xsl:text> </xsl:text>
      <span class="name-alternative">
        <xsl:call-template name="lang"/>
        <xsl:text>(</xsl:text>
        <xsl:apply-templates select="." mode="name"/>
        <xsl:text>)</xsl:text>
      </span>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="contrib-name-text">
    <xsl:variable name="names" select="name | name-alternatives/name | string-name | collab"/>
    <xsl:for-each select="$names[1]">
      <xsl:choose>
        <xsl:when test="self::name">
          <xsl:value-of select="normalize-space(concat(given-names, ' ', surname))"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="name" mode="name">
    <xsl:choose>
      <!-- family name first for eastern names: 张三, not 三 张 -->
      <xsl:when test="@name-style='eastern'">
        <xsl:apply-templates select="prefix | surname"/>
        <xsl:if test="given-names and not(@xml:lang='zh' or @xml:lang='ja' or @xml:lang='ko' or starts-with(@xml:lang, 'zh-'))">
          <xsl:text> </xsl:text>
        </xsl:if>
        <xsl:apply-templates select="given-names"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="prefix">
          <xsl:apply-templates/><xsl:text> </xsl:text>
        </xsl:for-each>
        <xsl:for-each select="given-names">
          <xsl:apply-templates/><xsl:text> </xsl:text>
        </xsl:for-each>
        <xsl:apply-templates select="surname"/>
        <xsl:for-each select="suffix">
          <xsl:text> </xsl:text><xsl:apply-templates/>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="string-name | collab" mode="name">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="given-names | surname | prefix | suffix">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- an affiliation's label, else its number among the affiliations of the same article part -->
  <xsl:template name="aff-number">
    <xsl:choose>
      <xsl:when test="label"><xsl:value-of select="normalize-space(label)"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="part" select="generate-id(ancestor::*[self::article-meta or self::front-stub][1])"/>
        <xsl:value-of select="count(preceding::aff[not(ancestor::ref)][generate-id(ancestor::*[self::article-meta or self::front-stub][1]) = $part]) + 1"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="aff" mode="header">
    <li class="aff">
      <xsl:attribute name="id">
        <xsl:choose>
          <xsl:when test="@id"><xsl:value-of select="concat($id-prefix, @id)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="concat($id-prefix, 'aff-', generate-id())"/></xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:call-template name="lang"/>
      <span class="label"><xsl:call-template name="aff-number"/></span>
      <xsl:text> </xsl:text>
      <xsl:apply-templates select="node()[not(self::label)]" mode="aff"/>
    </li>
  </xsl:template>

  <!-- Affiliations mix text and tagged parts; tagged parts that are not text get separators. -->
  <xsl:template match="*" mode="aff">
    <xsl:apply-templates select="."/>
  </xsl:template>
  <xsl:template match="text()" mode="aff">
    <xsl:value-of select="."/>
  </xsl:template>
  <xsl:template match="institution-wrap" mode="aff">
    <xsl:apply-templates select="node()" mode="aff"/>
  </xsl:template>
  <xsl:template match="institution-id" mode="aff">
    <xsl:variable name="value" select="normalize-space(.)"/>
    <xsl:if test="translate(@institution-id-type, $upper, $lower)='ror' or contains($value, 'ror.org/')">
      <xsl:variable name="ror">
        <xsl:choose>
          <xsl:when test="contains($value, 'ror.org/')"><xsl:value-of select="substring-after($value, 'ror.org/')"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$value"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:text> </xsl:text>
      <a class="ror" href="https://ror.org/{str:encode-uri($ror, true())}">ROR</a>
      <xsl:text> </xsl:text>
    </xsl:if>
  </xsl:template>
  <!-- SciELO keeps the affiliation as written beside its tagged parts: show the parts only -->
  <xsl:template match="institution[@content-type='original'][../*[not(self::label or self::institution[@content-type='original'])]]" mode="aff"/>

  <xsl:template match="institution | addr-line | country | city | state | postal-code" mode="aff">
    <xsl:if test="preceding-sibling::*[not(self::label or self::institution-id)] and not(normalize-space(preceding-sibling::node()[1][self::text()]))">
      <xsl:text>, </xsl:text>
    </xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="author-notes" mode="header">
    <div class="author-notes">
      <xsl:for-each select="corresp | fn | p">
        <p>
          <xsl:call-template name="id"/>
          <xsl:attribute name="class"><xsl:value-of select="local-name()"/></xsl:attribute>
          <xsl:if test="label">
            <span class="label"><xsl:apply-templates select="label/node()"/></span>
            <xsl:text> </xsl:text>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="self::fn"><xsl:apply-templates select="p/node()"/></xsl:when>
            <!-- A correspondence note that opens with the English word (as the converter
                 writes it) shows that word as a label of the reader's language. -->
            <xsl:when test="self::corresp and not(label)
                and starts-with(normalize-space(node()[1][self::text()]), 'Correspondence:')">
              <span class="label" data-l10n="correspondence">Correspondence:</span>
              <xsl:text> </xsl:text>
              <xsl:value-of select="normalize-space(substring-after(node()[1], 'Correspondence:'))"/>
              <xsl:if test="normalize-space(substring-after(node()[1], 'Correspondence:'))">
                <xsl:text> </xsl:text>
              </xsl:if>
              <xsl:apply-templates select="node()[position() &gt; 1]"/>
            </xsl:when>
            <xsl:otherwise><xsl:apply-templates select="node()[not(self::label)]"/></xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:for-each>
    </div>
  </xsl:template>

  <xsl:template name="article-info">
    <xsl:if test="article-id[@pub-id-type='doi'] or volume or elocation-id or fpage or history/date
        or pub-date or permissions or funding-group">
    <dl class="article-info">
      <xsl:for-each select="article-id[@pub-id-type='doi'][1]">
        <dt>DOI</dt>
        <dd><a class="doi" href="https://doi.org/{str:encode-uri(normalize-space(.), false())}">https://doi.org/<xsl:value-of select="normalize-space(.)"/></a></dd>
      </xsl:for-each>
      <xsl:if test="volume or elocation-id or fpage">
        <dt data-l10n="citation">Citation</dt>
        <dd>
          <xsl:if test="volume"><span data-l10n="volume">Volume <xsl:value-of select="normalize-space(volume)"/></span></xsl:if>
          <xsl:if test="issue">, <span data-l10n="issue">issue <xsl:value-of select="normalize-space(issue)"/></span></xsl:if>
          <xsl:if test="elocation-id">, <span data-l10n="elocation">article <xsl:value-of select="normalize-space(elocation-id)"/></span></xsl:if>
          <xsl:if test="fpage">, <span data-l10n="pages">pages <xsl:value-of select="normalize-space(fpage)"/><xsl:if test="lpage">–<xsl:value-of select="normalize-space(lpage)"/></xsl:if></span></xsl:if>
        </dd>
      </xsl:if>
      <xsl:for-each select="history/date[@date-type='received' or @date-type='rev-recd' or @date-type='accepted']">
        <dt>
          <xsl:choose>
            <xsl:when test="@date-type='received'"><xsl:attribute name="data-l10n">received</xsl:attribute>Received</xsl:when>
            <xsl:when test="@date-type='accepted'"><xsl:attribute name="data-l10n">accepted</xsl:attribute>Accepted</xsl:when>
            <xsl:otherwise><xsl:attribute name="data-l10n">revised</xsl:attribute>Revised</xsl:otherwise>
          </xsl:choose>
        </dt>
        <dd><xsl:call-template name="date"/></dd>
      </xsl:for-each>
      <xsl:for-each select="pub-date[not(@pub-type='collection' or @date-type='collection')][1]">
        <dt data-l10n="published">Published</dt>
        <dd><xsl:call-template name="date"/></dd>
      </xsl:for-each>
      <xsl:for-each select="permissions">
        <dt data-l10n="copyright">Copyright and licence</dt>
        <dd class="permissions">
          <xsl:apply-templates select="."/>
        </dd>
      </xsl:for-each>
      <xsl:for-each select="funding-group">
        <dt data-l10n="funding">Funding</dt>
        <dd class="funding">
          <xsl:choose>
            <xsl:when test="funding-statement">
              <xsl:apply-templates select="funding-statement/node()"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:for-each select="award-group">
                <xsl:if test="position() &gt; 1">; </xsl:if>
                <!-- the funder's name; its Funder Registry / ROR id is not part of it -->
                <xsl:variable name="funder">
                  <xsl:for-each select="funding-source//text()[not(ancestor::institution-id)]">
                    <xsl:value-of select="."/>
                  </xsl:for-each>
                </xsl:variable>
                <xsl:value-of select="normalize-space($funder)"/>
                <xsl:for-each select="award-id">
                  <xsl:text> (</xsl:text><xsl:value-of select="normalize-space(.)"/><xsl:text>)</xsl:text>
                </xsl:for-each>
              </xsl:for-each>
            </xsl:otherwise>
          </xsl:choose>
        </dd>
      </xsl:for-each>
    </dl>
    </xsl:if>
  </xsl:template>

  <xsl:template name="date">
    <xsl:variable name="iso">
      <xsl:choose>
        <xsl:when test="@iso-8601-date"><xsl:value-of select="normalize-space(@iso-8601-date)"/></xsl:when>
        <xsl:when test="year and month and day">
          <xsl:value-of select="concat(normalize-space(year), '-', format-number(month, '00'), '-', format-number(day, '00'))"/>
        </xsl:when>
        <xsl:when test="year and month">
          <xsl:value-of select="concat(normalize-space(year), '-', format-number(month, '00'))"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="normalize-space(year)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <time datetime="{$iso}">
      <xsl:value-of select="$iso"/>
    </time>
  </xsl:template>

  <xsl:template match="permissions">
    <xsl:for-each select="copyright-statement">
      <span class="copyright"><xsl:apply-templates/></span>
      <xsl:text> </xsl:text>
    </xsl:for-each>
    <xsl:if test="not(copyright-statement) and copyright-year">
      <span class="copyright">© <xsl:value-of select="normalize-space(copyright-year)"/><xsl:text> </xsl:text><xsl:value-of select="normalize-space(copyright-holder)"/></span>
      <xsl:text> </xsl:text>
    </xsl:if>
    <xsl:for-each select="license">
      <span class="license">
        <xsl:variable name="href" select="(@xlink:href | ali:license_ref)[1]"/>
        <xsl:choose>
          <xsl:when test="license-p"><xsl:apply-templates select="license-p/node()"/></xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="link">
              <xsl:with-param name="url" select="$href"/>
              <xsl:with-param name="text" select="string($href)"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </span>
    </xsl:for-each>
  </xsl:template>

  <!-- ============================================================ abstracts, keywords -->

  <xsl:template match="abstract | trans-abstract">
    <section>
      <xsl:attribute name="class">
        <xsl:text>abstract</xsl:text>
        <xsl:if test="@abstract-type"> abstract-<xsl:value-of select="translate(@abstract-type, ' ', '-')"/></xsl:if>
      </xsl:attribute>
      <xsl:call-template name="part-id"/>
      <xsl:call-template name="lang"/>
      <xsl:variable name="word">
        <xsl:call-template name="abstract-word"/>
      </xsl:variable>
      <xsl:variable name="lang" select="(ancestor-or-self::*/@xml:lang)[last()]"/>
      <xsl:call-template name="heading">
        <xsl:with-param name="default" select="$word"/>
        <xsl:with-param name="l10n" select="substring('abstract', 1, 8 * number($word = 'Abstract'))"/>
        <xsl:with-param name="language">
          <xsl:if test="not(@abstract-type) and ../trans-abstract[not(@abstract-type)] and $lang">
            <xsl:value-of select="$lang"/>
          </xsl:if>
        </xsl:with-param>
      </xsl:call-template>
      <xsl:apply-templates select="node()[not(self::title or self::label)]"/>
    </section>
  </xsl:template>

  <!-- "Abstract" in the abstract's own language -->
  <xsl:template name="abstract-word">
    <xsl:variable name="lang" select="translate(substring((ancestor-or-self::*/@xml:lang)[last()], 1, 2), $upper, $lower)"/>
    <xsl:choose>
      <xsl:when test="$lang='zh'">摘要</xsl:when>
      <xsl:when test="$lang='pt'">Resumo</xsl:when>
      <xsl:when test="$lang='es'">Resumen</xsl:when>
      <xsl:when test="$lang='fr'">Résumé</xsl:when>
      <xsl:when test="$lang='ru'">Аннотация</xsl:when>
      <xsl:when test="$lang='ar'">ملخص</xsl:when>
      <xsl:otherwise>Abstract</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A visible language tag: the language's own name (中文, English), marked with its
       language so that a screen reader says it right. -->
  <xsl:template name="language-label">
    <xsl:param name="code"/>
    <xsl:variable name="lang" select="translate(substring($code, 1, 2), $upper, $lower)"/>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="$lang='en'">English</xsl:when>
        <xsl:when test="$lang='zh'">中文</xsl:when>
        <xsl:when test="$lang='fr'">Français</xsl:when>
        <xsl:when test="$lang='es'">Español</xsl:when>
        <xsl:when test="$lang='ru'">Русский</xsl:when>
        <xsl:when test="$lang='ar'">العربية</xsl:when>
        <xsl:when test="$lang='pt'">Português</xsl:when>
        <xsl:when test="$lang='de'">Deutsch</xsl:when>
        <xsl:when test="$lang='ja'">日本語</xsl:when>
        <xsl:when test="$lang='ko'">한국어</xsl:when>
        <xsl:otherwise><xsl:value-of select="$code"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:if test="normalize-space($code) != ''">
      <span class="lang-label" lang="{normalize-space($code)}"><xsl:value-of select="$name"/></span>
    </xsl:if>
  </xsl:template>

  <xsl:template match="kwd-group">
    <section class="keywords">
      <xsl:call-template name="lang"/>
      <xsl:variable name="level">
        <xsl:call-template name="heading-level"/>
      </xsl:variable>
      <xsl:element name="h{$level + 1}">
        <xsl:choose>
          <xsl:when test="translate(substring(@xml:lang, 1, 2), $upper, $lower)='zh' and not(title)">关键词</xsl:when>
          <xsl:when test="not(title) or normalize-space(title) = 'Keywords'"><span data-l10n="keywords">Keywords</span></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="title/node()"/></xsl:otherwise>
        </xsl:choose>
      </xsl:element>
      <ul>
        <xsl:for-each select="kwd | compound-kwd">
          <li><xsl:apply-templates/></li>
        </xsl:for-each>
      </ul>
    </section>
  </xsl:template>

  <!-- ============================================================ body and back -->

  <xsl:template match="body">
    <div class="article-body">
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="back">
    <div class="article-back">
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="floats-group">
    <div class="floats-group">
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="sec | app | notes | glossary | bio">
    <section class="{local-name()}">
      <xsl:call-template name="part-id"/>
      <xsl:call-template name="lang"/>
      <xsl:call-template name="heading"/>
      <xsl:apply-templates select="node()[not(self::title or self::label or self::sec-meta)]"/>
    </section>
  </xsl:template>

  <xsl:template match="app-group">
    <section class="app-group">
      <xsl:call-template name="part-id"/>
      <xsl:if test="title">
        <xsl:call-template name="heading"/>
      </xsl:if>
      <xsl:apply-templates select="node()[not(self::title or self::label)]"/>
    </section>
  </xsl:template>

  <xsl:template match="ack">
    <section class="ack">
      <xsl:call-template name="part-id"/>
      <xsl:call-template name="lang"/>
      <xsl:call-template name="heading">
        <xsl:with-param name="default" select="'Acknowledgements'"/>
        <xsl:with-param name="l10n" select="'acknowledgements'"/>
      </xsl:call-template>
      <xsl:apply-templates select="node()[not(self::title or self::label)]"/>
    </section>
  </xsl:template>

  <xsl:template match="sec-meta | processing-meta | alt-text | long-desc | object-id | custom-meta-group | counts"/>

  <!-- a paragraph that holds block content cannot be an HTML <p> -->
  <xsl:template match="p">
    <xsl:variable name="element">
      <xsl:choose>
        <xsl:when test="fig | fig-group | table-wrap | table-wrap-group | disp-formula | disp-formula-group
            | list | def-list | disp-quote | boxed-text | preformat | code | graphic | media
            | supplementary-material | statement | speech | verse-group | array | chem-struct-wrap
            | alternatives | mml:math[@display='block'] | table">div</xsl:when>
        <xsl:otherwise>p</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$element}">
      <xsl:if test="$element='div'"><xsl:attribute name="class">p</xsl:attribute></xsl:if>
      <xsl:call-template name="id"/>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="title">
    <!-- titles outside the containers that place them (e.g. list titles) -->
    <p class="title"><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="label">
    <span class="label"><xsl:apply-templates/></span>
    <xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="list">
    <xsl:apply-templates select="title"/>
    <xsl:variable name="type" select="@list-type"/>
    <xsl:variable name="ordered" select="$type='order' or starts-with($type, 'alpha') or starts-with($type, 'roman')"/>
    <xsl:element name="{substring('ulol', 1 + 2 * number($ordered), 2)}">
      <xsl:call-template name="id"/>
      <xsl:choose>
        <xsl:when test="$type='alpha-lower'"><xsl:attribute name="type">a</xsl:attribute></xsl:when>
        <xsl:when test="$type='alpha-upper'"><xsl:attribute name="type">A</xsl:attribute></xsl:when>
        <xsl:when test="$type='roman-lower'"><xsl:attribute name="type">i</xsl:attribute></xsl:when>
        <xsl:when test="$type='roman-upper'"><xsl:attribute name="type">I</xsl:attribute></xsl:when>
      </xsl:choose>
      <xsl:if test="$type='simple'"><xsl:attribute name="class">list-simple</xsl:attribute></xsl:if>
      <xsl:apply-templates select="list-item"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="list-item">
    <li>
      <xsl:call-template name="id"/>
      <xsl:apply-templates/>
    </li>
  </xsl:template>

  <xsl:template match="def-list">
    <xsl:apply-templates select="title"/>
    <dl>
      <xsl:call-template name="id"/>
      <xsl:apply-templates select="def-item"/>
    </dl>
  </xsl:template>
  <xsl:template match="def-item">
    <xsl:apply-templates select="term | def"/>
  </xsl:template>
  <xsl:template match="term">
    <dt><xsl:call-template name="id"/><xsl:apply-templates/></dt>
  </xsl:template>
  <xsl:template match="def">
    <dd><xsl:call-template name="id"/><xsl:apply-templates/></dd>
  </xsl:template>

  <xsl:template match="disp-quote">
    <blockquote>
      <xsl:call-template name="id"/>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates select="node()[not(self::attrib)]"/>
      <xsl:for-each select="attrib">
        <footer class="attrib"><xsl:apply-templates/></footer>
      </xsl:for-each>
    </blockquote>
  </xsl:template>

  <xsl:template match="boxed-text">
    <aside class="boxed-text">
      <xsl:call-template name="id"/>
      <xsl:call-template name="heading"/>
      <xsl:apply-templates select="caption/p"/>
      <xsl:apply-templates select="node()[not(self::title or self::label or self::caption)]"/>
    </aside>
  </xsl:template>

  <xsl:template match="preformat | code">
    <pre class="{local-name()}"><xsl:call-template name="id"/><code><xsl:value-of select="."/></code></pre>
  </xsl:template>

  <xsl:template match="statement | speech | verse-group | chem-struct-wrap | disp-formula-group | table-wrap-group | array">
    <div class="{local-name()}">
      <xsl:call-template name="id"/>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="verse-line">
    <div class="verse-line"><xsl:apply-templates/></div>
  </xsl:template>
  <xsl:template match="speaker">
    <b class="speaker"><xsl:apply-templates/></b><xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="attrib">
    <p class="attrib"><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="hr">
    <hr/>
  </xsl:template>
  <xsl:template match="break">
    <br/>
  </xsl:template>

  <!-- a figure's or table's label ("Figure 1", "Table 2") is shown in the reader's language
       when it is the English word and a number (production/jats/labels.py) -->
  <xsl:template name="label-l10n">
    <xsl:choose>
      <xsl:when test="self::fig"><xsl:attribute name="data-l10n">figure</xsl:attribute></xsl:when>
      <xsl:when test="self::table-wrap"><xsl:attribute name="data-l10n">table</xsl:attribute></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- an image's alt text when it is only the fallback word -->
  <xsl:template name="alt-l10n">
    <xsl:param name="alt"/>
    <xsl:choose>
      <xsl:when test="$alt = 'Image'"><xsl:attribute name="data-l10n-aria">image</xsl:attribute></xsl:when>
      <xsl:when test="$alt = 'Formula'"><xsl:attribute name="data-l10n-aria">formula</xsl:attribute></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ figures -->

  <xsl:template match="fig">
    <figure class="fig">
      <xsl:call-template name="id"/>
      <xsl:apply-templates select="graphic | alternatives | media | p | table-wrap | disp-formula | array"/>
      <xsl:call-template name="figcaption"/>
      <xsl:call-template name="figure-actions"/>
    </figure>
  </xsl:template>

  <!-- Under a figure's image: the image at full size (the file itself; the page's script
       shows it over the page) and the file to download. -->
  <xsl:template name="figure-actions">
    <xsl:variable name="image" select="(graphic | alternatives/graphic)[@xlink:href][1]"/>
    <xsl:variable name="src">
      <xsl:call-template name="asset-url">
        <xsl:with-param name="url" select="$image/@xlink:href"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$image and $src != ''">
      <p class="figure-actions">
        <a class="figure-full" href="{$src}" data-l10n="full-size">
          <xsl:text>View full size</xsl:text>
          <xsl:if test="label"><xsl:text> </xsl:text><xsl:value-of select="normalize-space(label)"/></xsl:if>
        </a>
        <xsl:text> </xsl:text>
        <a class="download figure-download" href="{$src}" download="" data-l10n="download">
          <xsl:text>Download</xsl:text>
          <xsl:if test="label"><xsl:text> </xsl:text><xsl:value-of select="normalize-space(label)"/></xsl:if>
        </a>
      </p>
    </xsl:if>
  </xsl:template>

  <xsl:template match="fig-group">
    <div class="fig-group">
      <xsl:call-template name="id"/>
      <xsl:if test="caption or label">
        <div class="fig-group-caption">
          <xsl:apply-templates select="label"/>
          <xsl:apply-templates select="caption/node()"/>
        </div>
      </xsl:if>
      <xsl:apply-templates select="fig | graphic | media"/>
    </div>
  </xsl:template>

  <xsl:template name="figcaption">
    <xsl:if test="label or caption or attrib or permissions">
      <figcaption>
        <xsl:if test="label">
          <span class="label"><xsl:call-template name="label-l10n"/><xsl:apply-templates select="label/node()"/></span>
          <xsl:text> </xsl:text>
        </xsl:if>
        <xsl:apply-templates select="caption" mode="caption"/>
        <xsl:apply-templates select="attrib"/>
        <xsl:for-each select="permissions">
          <p class="permissions"><xsl:apply-templates select="."/></p>
        </xsl:for-each>
      </figcaption>
    </xsl:if>
  </xsl:template>

  <xsl:template match="caption" mode="caption">
    <xsl:for-each select="title">
      <b class="caption-title"><xsl:apply-templates/></b>
      <xsl:text> </xsl:text>
    </xsl:for-each>
    <xsl:apply-templates select="node()[not(self::title)]"/>
  </xsl:template>

  <!-- The alt text of an image: its own alt-text, else that of the alternatives or of the
       figure (table, box …) it belongs to; a formula's TeX. Never the caption: the caption
       is shown beside the image (figcaption) and a screen reader reads it there, so an
       image whose owner has a caption or label but no alt text gets alt="" (named once, by
       its figcaption); the house rule FDE-ALT-002 asks for real alt text. -->
  <xsl:template name="alt">
    <xsl:variable name="owner" select="ancestor::*[self::fig or self::table-wrap or self::supplementary-material or self::disp-formula or self::inline-formula or self::boxed-text or self::chem-struct-wrap][1]"/>
    <xsl:choose>
      <xsl:when test="normalize-space(alt-text)"><xsl:value-of select="normalize-space(alt-text)"/></xsl:when>
      <xsl:when test="normalize-space(../alt-text) and parent::alternatives"><xsl:value-of select="normalize-space(../alt-text)"/></xsl:when>
      <xsl:when test="normalize-space($owner/alt-text)"><xsl:value-of select="normalize-space($owner/alt-text)"/></xsl:when>
      <xsl:when test="normalize-space(../tex-math)"><xsl:value-of select="normalize-space(../tex-math)"/></xsl:when>
      <xsl:when test="$owner[self::disp-formula or self::inline-formula]">Formula</xsl:when>
      <xsl:when test="normalize-space(caption) or normalize-space($owner/caption) or normalize-space($owner/label)"/>
      <xsl:otherwise>Image</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="graphic | inline-graphic">
    <xsl:variable name="src">
      <xsl:call-template name="asset-url">
        <xsl:with-param name="url" select="@xlink:href"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="alt">
      <xsl:call-template name="alt"/>
    </xsl:variable>
    <!-- the long description: the image's own, else its figure's (or table's, box's) -->
    <xsl:variable name="own-desc" select="self::graphic/long-desc[normalize-space()][1]"/>
    <xsl:variable name="owner-desc" select="self::graphic/ancestor::*[self::fig or self::table-wrap or self::boxed-text or self::chem-struct-wrap][1]/long-desc[normalize-space()][1]"/>
    <xsl:variable name="long-desc" select="$own-desc | $owner-desc[not($own-desc)]"/>
    <xsl:variable name="desc-id" select="concat($id-prefix, 'long-desc-', count(preceding::graphic) + 1)"/>
    <xsl:choose>
      <xsl:when test="$src != ''">
        <img class="{local-name()}" src="{$src}" alt="{$alt}" loading="lazy">
          <xsl:call-template name="id"/>
          <xsl:call-template name="alt-l10n"><xsl:with-param name="alt" select="$alt"/></xsl:call-template>
          <xsl:if test="$long-desc">
            <xsl:attribute name="aria-describedby"><xsl:value-of select="$desc-id"/></xsl:attribute>
          </xsl:if>
        </img>
      </xsl:when>
      <xsl:when test="$alt = ''">
        <span class="{local-name()} missing-image" aria-hidden="true"/>
      </xsl:when>
      <xsl:otherwise>
        <span class="{local-name()} missing-image" role="img" aria-label="{$alt}">
          <xsl:call-template name="alt-l10n"><xsl:with-param name="alt" select="$alt"/></xsl:call-template>
          <xsl:value-of select="$alt"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$long-desc">
      <details class="long-desc">
        <summary data-l10n="image-description">Image description</summary>
        <div class="long-desc-text" id="{$desc-id}">
          <xsl:for-each select="$long-desc"><xsl:call-template name="lang"/></xsl:for-each>
          <xsl:apply-templates select="$long-desc/node()" mode="long-desc"/>
        </div>
      </details>
    </xsl:if>
    <xsl:if test="caption">
      <span class="graphic-caption"><xsl:apply-templates select="caption" mode="caption"/></span>
    </xsl:if>
  </xsl:template>

  <!-- A long description is text (with inline markup): its line breaks are kept. -->
  <xsl:template match="text()" mode="long-desc">
    <xsl:call-template name="lines"><xsl:with-param name="text" select="."/></xsl:call-template>
  </xsl:template>
  <xsl:template match="*" mode="long-desc">
    <xsl:apply-templates select="."/>
  </xsl:template>
  <xsl:template name="lines">
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="contains($text, '&#10;')">
        <xsl:value-of select="substring-before($text, '&#10;')"/>
        <br/>
        <xsl:call-template name="lines"><xsl:with-param name="text" select="substring-after($text, '&#10;')"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="media | supplementary-material | inline-supplementary-material">
    <xsl:variable name="element">
      <xsl:choose>
        <xsl:when test="self::inline-supplementary-material">span</xsl:when>
        <xsl:otherwise>div</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$element}">
      <xsl:attribute name="class"><xsl:value-of select="local-name()"/></xsl:attribute>
      <xsl:call-template name="id"/>
      <xsl:if test="label">
        <span class="label"><xsl:apply-templates select="label/node()"/></span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:apply-templates select="caption" mode="caption"/>
      <xsl:apply-templates select="node()[not(self::label or self::caption)]"/>
      <xsl:variable name="href">
        <xsl:call-template name="asset-url">
          <xsl:with-param name="url" select="@xlink:href"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:if test="$href != ''">
        <xsl:text> </xsl:text>
        <a class="download" href="{$href}" data-l10n="download">
          <xsl:text>Download</xsl:text>
          <xsl:if test="label"><xsl:text> </xsl:text><xsl:value-of select="normalize-space(label)"/></xsl:if>
        </a>
      </xsl:if>
    </xsl:element>
  </xsl:template>

  <xsl:template match="alternatives">
    <!-- one rendering: MathML, then a table, then a graphic, then TeX -->
    <xsl:variable name="choice" select="(mml:math | table | graphic | inline-graphic | tex-math | media | preformat | code | textual-form)[1]"/>
    <xsl:variable name="preferred" select="(mml:math | table)[1]"/>
    <xsl:choose>
      <xsl:when test="$preferred"><xsl:apply-templates select="$preferred"/></xsl:when>
      <xsl:otherwise><xsl:apply-templates select="$choice"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ tables -->

  <xsl:template match="table-wrap">
    <xsl:variable name="tables" select="table | alternatives/table"/>
    <xsl:choose>
      <xsl:when test="$tables">
        <div class="table-wrap">
          <xsl:call-template name="id"/>
          <xsl:for-each select="$tables">
            <xsl:apply-templates select=".">
              <xsl:with-param name="wrap" select="ancestor::table-wrap[1]"/>
              <xsl:with-param name="first" select="position() = 1"/>
            </xsl:apply-templates>
          </xsl:for-each>
          <xsl:apply-templates select="table-wrap-foot"/>
          <xsl:for-each select="attrib | permissions">
            <p class="{local-name()}"><xsl:apply-templates select="."/></p>
          </xsl:for-each>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <!-- a table given only as an image -->
        <figure class="table-wrap">
          <xsl:call-template name="id"/>
          <xsl:apply-templates select="graphic | alternatives | media | p"/>
          <xsl:call-template name="figcaption"/>
          <xsl:apply-templates select="table-wrap-foot"/>
        </figure>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="table">
    <xsl:param name="wrap" select="ancestor::table-wrap[1]"/>
    <xsl:param name="first" select="true()"/>
    <div class="table-scroll">
      <table>
        <xsl:call-template name="id"/>
        <xsl:if test="$first and ($wrap/label or $wrap/caption)">
          <caption>
            <xsl:if test="$wrap/label">
              <span class="label"><xsl:for-each select="$wrap"><xsl:call-template name="label-l10n"/></xsl:for-each><xsl:apply-templates select="$wrap/label/node()"/></span>
              <xsl:text> </xsl:text>
            </xsl:if>
            <xsl:apply-templates select="$wrap/caption" mode="caption"/>
          </caption>
        </xsl:if>
        <xsl:apply-templates select="col | colgroup | thead | tbody | tfoot"/>
        <xsl:if test="tr">
          <tbody><xsl:apply-templates select="tr"/></tbody>
        </xsl:if>
      </table>
    </div>
  </xsl:template>

  <xsl:template match="thead | tbody | tfoot | tr | colgroup | col">
    <xsl:element name="{local-name()}">
      <xsl:call-template name="table-attributes"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- cells of a header row are header cells, even where the source tagged them td -->
  <xsl:template match="th | td">
    <xsl:element name="{substring('tdth', 1 + 2 * number(self::th or ancestor::thead), 2)}">
      <xsl:call-template name="table-attributes"/>
      <xsl:if test="self::th or ancestor::thead">
        <xsl:attribute name="scope">
          <xsl:choose>
            <xsl:when test="@scope='row' or @scope='col' or @scope='rowgroup' or @scope='colgroup'"><xsl:value-of select="@scope"/></xsl:when>
            <xsl:when test="ancestor::thead">col</xsl:when>
            <xsl:otherwise>row</xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- only numeric spans and known alignments; never style or event attributes -->
  <xsl:template name="table-attributes">
    <xsl:call-template name="id"/>
    <xsl:for-each select="@colspan | @rowspan | @span">
      <xsl:if test="string(number(.)) != 'NaN' and number(.) &gt;= 1 and number(.) &lt;= 1000">
        <xsl:attribute name="{local-name()}"><xsl:value-of select="number(.)"/></xsl:attribute>
      </xsl:if>
    </xsl:for-each>
    <xsl:variable name="align" select="translate(@align, $upper, $lower)"/>
    <xsl:if test="$align='left' or $align='right' or $align='center' or $align='justify' or $align='char'">
      <xsl:attribute name="class">align-<xsl:value-of select="$align"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <xsl:template match="table-wrap-foot">
    <div class="table-wrap-foot">
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="table-wrap-foot//fn | fn-group//fn">
    <div class="fn">
      <xsl:call-template name="id"/>
      <xsl:apply-templates select="label"/>
      <xsl:apply-templates select="node()[not(self::label)]"/>
    </div>
  </xsl:template>

  <!-- ============================================================ formulas -->

  <xsl:template match="disp-formula">
    <div class="disp-formula">
      <xsl:call-template name="id"/>
      <div class="formula-body">
        <xsl:call-template name="formula-content">
          <xsl:with-param name="display" select="'block'"/>
        </xsl:call-template>
      </div>
      <xsl:if test="label">
        <span class="label"><xsl:apply-templates select="label/node()"/></span>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="inline-formula">
    <span class="inline-formula">
      <xsl:call-template name="id"/>
      <xsl:call-template name="formula-content">
        <xsl:with-param name="display" select="'inline'"/>
      </xsl:call-template>
    </span>
  </xsl:template>

  <!-- MathML if there is any, else TeX, else a graphic, else the text as written -->
  <xsl:template name="formula-content">
    <xsl:param name="display"/>
    <xsl:variable name="math" select="(mml:math | alternatives/mml:math)[1]"/>
    <xsl:variable name="tex" select="(tex-math | alternatives/tex-math)[1]"/>
    <xsl:variable name="image" select="(graphic | inline-graphic | alternatives/graphic | alternatives/inline-graphic)[1]"/>
    <xsl:choose>
      <xsl:when test="$math">
        <xsl:apply-templates select="$math">
          <xsl:with-param name="display" select="$display"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="$tex">
        <xsl:apply-templates select="$tex">
          <xsl:with-param name="display" select="$display"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="$image"><xsl:apply-templates select="$image"/></xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="node()[not(self::label or self::alternatives)]"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- TeX alone: converted to MathML (html.py's fde:tex-to-mathml, latex2mathml) so the
       browser lays it out, the TeX kept as its alttext; shown as written if it cannot be read -->
  <xsl:template match="tex-math">
    <xsl:param name="display" select="'inline'"/>
    <xsl:variable name="converted" select="fde:tex-to-mathml(string(.))"/>
    <xsl:choose>
      <xsl:when test="$converted">
        <xsl:apply-templates select="$converted" mode="from-tex">
          <xsl:with-param name="display" select="$display"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:otherwise>
        <code class="tex-math" data-display="{$display}"><xsl:value-of select="normalize-space(.)"/></code>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="mml:math" mode="from-tex">
    <xsl:param name="display"/>
    <xsl:element name="math" namespace="{$MATHML}">
      <xsl:attribute name="display"><xsl:value-of select="$display"/></xsl:attribute>
      <xsl:attribute name="alttext"><xsl:value-of select="@alttext"/></xsl:attribute>
      <xsl:attribute name="class">from-tex</xsl:attribute>
      <xsl:apply-templates mode="mathml"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="mml:math">
    <xsl:param name="display" select="''"/>
    <xsl:element name="math" namespace="{$MATHML}">
      <xsl:call-template name="id"/>
      <xsl:call-template name="mathml-attributes">
        <xsl:with-param name="skip" select="' display '"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="$display != ''">
          <xsl:attribute name="display"><xsl:value-of select="$display"/></xsl:attribute>
        </xsl:when>
        <xsl:when test="@display='block' or @display='inline'">
          <xsl:attribute name="display"><xsl:value-of select="@display"/></xsl:attribute>
        </xsl:when>
      </xsl:choose>
      <xsl:if test="not(normalize-space(@alttext))">
        <xsl:call-template name="math-alttext"/>
      </xsl:if>
      <xsl:apply-templates mode="mathml"/>
    </xsl:element>
  </xsl:template>

  <!-- A formula's alttext when its MathML has none (what a screen reader without MathML
       support, or a copy-paste, gets): the formula's alt-text, else its TeX beside it in
       alternatives, else the TeX annotation inside the MathML. -->
  <xsl:template name="math-alttext">
    <xsl:variable name="owner" select="ancestor::*[self::disp-formula or self::inline-formula][1]"/>
    <xsl:variable name="text">
      <xsl:choose>
        <xsl:when test="normalize-space($owner/alt-text)"><xsl:value-of select="normalize-space($owner/alt-text)"/></xsl:when>
        <xsl:when test="normalize-space(../tex-math) and parent::alternatives"><xsl:value-of select="normalize-space(../tex-math)"/></xsl:when>
        <xsl:when test="normalize-space(.//mml:annotation[@encoding='application/x-tex' or @encoding='TeX'])">
          <xsl:value-of select="normalize-space((.//mml:annotation[@encoding='application/x-tex' or @encoding='TeX'])[1])"/>
        </xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:if test="$text != ''">
      <xsl:attribute name="alttext"><xsl:value-of select="$text"/></xsl:attribute>
    </xsl:if>
  </xsl:template>

  <!-- MathML that browsers render is rebuilt in the MathML namespace with a fixed list of
       presentation attributes (no href, style, class or event handlers); matching by name
       lets the processor pick the template by a hash lookup, which matters on math-heavy
       articles -->
  <xsl:template mode="mathml" match="mml:math | mml:mi | mml:mn | mml:mo | mml:mtext | mml:mspace | mml:ms | mml:mrow | mml:mfrac |
      mml:msqrt | mml:mroot | mml:mstyle | mml:merror | mml:mpadded | mml:mphantom | mml:mfenced |
      mml:menclose | mml:msub | mml:msup | mml:msubsup | mml:munder | mml:mover | mml:munderover |
      mml:mmultiscripts | mml:mprescripts | mml:none | mml:mtable | mml:mlabeledtr | mml:mtr |
      mml:mtd | mml:maligngroup | mml:malignmark | mml:mstack | mml:mlongdiv | mml:msgroup |
      mml:msrow | mml:mscarries | mml:mscarry | mml:msline | mml:semantics">
    <xsl:element name="{local-name()}" namespace="{$MATHML}">
      <xsl:call-template name="mathml-attributes"/>
      <xsl:apply-templates mode="mathml"/>
    </xsl:element>
  </xsl:template>

  <!-- annotations may carry any markup (even HTML): never shown -->
  <xsl:template mode="mathml" match="mml:annotation | mml:annotation-xml"/>

  <!-- other MathML (content markup, mglyph, maction ...): its text only -->
  <xsl:template mode="mathml" match="mml:*">
    <xsl:apply-templates mode="mathml"/>
  </xsl:template>

  <!-- elements of other namespaces inside MathML contribute their text only -->
  <xsl:template match="*" mode="mathml">
    <xsl:apply-templates mode="mathml"/>
  </xsl:template>

  <xsl:template match="text()" mode="mathml">
    <xsl:value-of select="."/>
  </xsl:template>

  <xsl:template name="mathml-attributes">
    <xsl:param name="skip" select="''"/>
    <xsl:for-each select="@*[namespace-uri() = '']">
      <xsl:variable name="name" select="concat(' ', local-name(), ' ')"/>
      <xsl:if test="contains($mathml-attributes, $name) and not(contains($skip, $name))">
        <xsl:attribute name="{local-name()}"><xsl:value-of select="."/></xsl:attribute>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- MathML found outside a formula wrapper -->
  <xsl:template match="mml:*">
    <xsl:apply-templates select="." mode="mathml"/>
  </xsl:template>

  <!-- ============================================================ inline -->

  <xsl:template match="bold"><b><xsl:apply-templates/></b></xsl:template>
  <xsl:template match="italic"><i><xsl:apply-templates/></i></xsl:template>
  <xsl:template match="sub"><sub><xsl:apply-templates/></sub></xsl:template>
  <xsl:template match="sup"><sup><xsl:apply-templates/></sup></xsl:template>
  <xsl:template match="underline"><u><xsl:apply-templates/></u></xsl:template>
  <xsl:template match="strike"><s><xsl:apply-templates/></s></xsl:template>
  <xsl:template match="monospace"><code><xsl:apply-templates/></code></xsl:template>
  <xsl:template match="sc"><span class="small-caps"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="overline"><span class="overline"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="roman"><span class="roman"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="sans-serif"><span class="sans-serif"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="abbrev">
    <abbr>
      <xsl:if test="@alt"><xsl:attribute name="title"><xsl:value-of select="@alt"/></xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </abbr>
  </xsl:template>
  <xsl:template match="named-content | styled-content | target | milestone-start | milestone-end | x">
    <span>
      <xsl:call-template name="id"/>
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="xref">
    <xsl:variable name="target" select="normalize-space(substring-before(concat(normalize-space(@rid), ' '), ' '))"/>
    <xsl:choose>
      <xsl:when test="$target != '' and key('by-id', $target)">
        <a href="#{$id-prefix}{$target}">
          <xsl:attribute name="id"><xsl:call-template name="xref-id"/></xsl:attribute>
          <xsl:attribute name="class">xref<xsl:if test="@ref-type"> xref-<xsl:value-of select="translate(@ref-type, ' ', '-')"/></xsl:if></xsl:attribute>
          <xsl:choose>
            <xsl:when test="normalize-space(.) != '' or *"><xsl:apply-templates/></xsl:when>
            <!-- an empty xref (common for affiliations) shows its target's label or number -->
            <xsl:otherwise>
              <xsl:for-each select="key('by-id', $target)[1]">
                <xsl:choose>
                  <xsl:when test="self::aff"><xsl:call-template name="aff-number"/></xsl:when>
                  <xsl:when test="normalize-space(label)"><xsl:value-of select="normalize-space(label)"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="$target"/></xsl:otherwise>
                </xsl:choose>
              </xsl:for-each>
            </xsl:otherwise>
          </xsl:choose>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="xref"><xsl:apply-templates/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the anchor a reference's back-link returns to -->
  <xsl:template name="xref-id">
    <xsl:choose>
      <xsl:when test="@id"><xsl:value-of select="concat($id-prefix, @id)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat($id-prefix, 'xref-', generate-id())"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="ext-link | uri | self-uri">
    <xsl:call-template name="link">
      <xsl:with-param name="url">
        <xsl:choose>
          <xsl:when test="@xlink:href"><xsl:value-of select="@xlink:href"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="doi" select="translate(@ext-link-type, $upper, $lower)='doi'"/>
      <!-- a reference's DOI and PubMed links (reference_style.py) keep their classes -->
      <xsl:with-param name="class">
        <xsl:if test="ancestor-or-self::mixed-citation and (@ext-link-type='doi' or @ext-link-type='pmid')"><xsl:value-of select="@ext-link-type"/></xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="email">
    <xsl:variable name="address" select="normalize-space(.)"/>
    <xsl:choose>
      <xsl:when test="contains($address, '@') and not(contains($address, ' '))">
        <a class="email" href="mailto:{str:encode-uri($address, false())}"><xsl:value-of select="$address"/></a>
      </xsl:when>
      <xsl:otherwise><span class="email"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A link when the URL is safe; its text (or the URL) otherwise. -->
  <xsl:template name="link">
    <xsl:param name="url"/>
    <xsl:param name="doi" select="false()"/>
    <xsl:param name="text" select="''"/>
    <xsl:param name="class" select="''"/>
    <xsl:variable name="href">
      <xsl:choose>
        <xsl:when test="$doi and starts-with(normalize-space($url), '10.')">
          <xsl:value-of select="concat('https://doi.org/', str:encode-uri(normalize-space($url), false()))"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="safe-url">
            <xsl:with-param name="url" select="$url"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$href != ''">
        <a href="{$href}">
          <xsl:if test="string($class) != ''"><xsl:attribute name="class"><xsl:value-of select="$class"/></xsl:attribute></xsl:if>
          <xsl:choose>
            <xsl:when test="$text != ''"><xsl:value-of select="$text"/></xsl:when>
            <xsl:when test="normalize-space(.) != '' and (self::ext-link or self::uri or self::self-uri)"><xsl:apply-templates/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$href"/></xsl:otherwise>
          </xsl:choose>
        </a>
      </xsl:when>
      <xsl:when test="$text != ''"><xsl:value-of select="$text"/></xsl:when>
      <xsl:otherwise><span class="unsafe-link"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- http(s), mailto, ftp and relative URLs pass; any other scheme gives '' -->
  <xsl:template name="safe-url">
    <xsl:param name="url"/>
    <xsl:variable name="u" select="normalize-space($url)"/>
    <xsl:variable name="scheme" select="translate(substring-before($u, ':'), $upper, $lower)"/>
    <xsl:choose>
      <xsl:when test="$u = ''"/>
      <xsl:when test="$scheme = 'http' or $scheme = 'https' or $scheme = 'mailto' or $scheme = 'ftp'">
        <xsl:value-of select="$u"/>
      </xsl:when>
      <xsl:when test="$scheme = 'doi'">
        <xsl:value-of select="concat('https://doi.org/', str:encode-uri(normalize-space(substring-after($u, ':')), false()))"/>
      </xsl:when>
      <xsl:when test="not(contains($u, ':')) or contains($scheme, '/') or contains($scheme, '?') or contains($scheme, '#')">
        <xsl:value-of select="$u"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- a file of the article (graphic, supplement): relative URLs are put under asset-base -->
  <xsl:template name="asset-url">
    <xsl:param name="url"/>
    <xsl:variable name="safe">
      <xsl:call-template name="safe-url">
        <xsl:with-param name="url" select="$url"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$safe = ''"/>
      <xsl:when test="contains(substring-before($safe, '/'), ':') or starts-with($safe, '/') or starts-with($safe, 'mailto:')">
        <xsl:value-of select="$safe"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="concat($asset-base, $safe)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ footnotes -->

  <!-- a footnote in running text: a numbered marker here, the note at the end -->
  <xsl:template match="fn">
    <xsl:variable name="id">
      <xsl:call-template name="fn-id"/>
    </xsl:variable>
    <sup class="fn-ref">
      <a href="#{$id}" id="{$id}-ref">
        <xsl:call-template name="fn-number"/>
      </a>
    </sup>
  </xsl:template>

  <xsl:template name="fn-id">
    <xsl:choose>
      <xsl:when test="@id"><xsl:value-of select="concat($id-prefix, @id)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat($id-prefix, 'fn-', generate-id())"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="fn-number">
    <xsl:choose>
      <xsl:when test="label"><xsl:value-of select="normalize-space(label)"/></xsl:when>
      <xsl:otherwise>
        <xsl:number level="any" count="fn[not(ancestor::fn-group or ancestor::table-wrap-foot or ancestor::author-notes)]" from="article | sub-article | response"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="inline-footnotes">
    <xsl:variable name="depth" select="count(ancestor-or-self::sub-article | ancestor-or-self::response)"/>
    <xsl:variable name="notes" select="(body | back)/descendant::fn[not(ancestor::fn-group or ancestor::table-wrap-foot or ancestor::author-notes)][count(ancestor::sub-article | ancestor::response) = $depth]"/>
    <xsl:if test="$notes">
      <section class="footnotes">
        <xsl:element name="h{2 + $depth}"><span data-l10n="notes">Notes</span></xsl:element>
        <ol>
          <xsl:for-each select="$notes">
            <xsl:variable name="id">
              <xsl:call-template name="fn-id"/>
            </xsl:variable>
            <li class="fn" id="{$id}">
              <xsl:apply-templates select="node()[not(self::label)]"/>
              <xsl:text> </xsl:text>
              <a class="back-link" href="#{$id}-ref" aria-label="Back to the text" data-l10n-aria="back-to-text">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="fn-group">
    <section class="fn-group">
      <xsl:call-template name="part-id"/>
      <xsl:call-template name="heading">
        <xsl:with-param name="default" select="'Notes'"/>
        <xsl:with-param name="l10n" select="'notes'"/>
      </xsl:call-template>
      <xsl:apply-templates select="node()[not(self::title or self::label)]"/>
    </section>
  </xsl:template>

  <!-- ============================================================ references -->

  <xsl:template match="ref-list">
    <section class="ref-list">
      <xsl:call-template name="part-id"/>
      <xsl:call-template name="heading">
        <xsl:with-param name="default" select="'References'"/>
        <xsl:with-param name="l10n" select="'references'"/>
      </xsl:call-template>
      <xsl:apply-templates select="node()[not(self::title or self::label or self::ref or self::ref-list)]"/>
      <!-- One number per reference, its label's: a labelled list shows the labels instead
           of the list's own numbers, in label order when every label is a number (some
           lists hold a few references out of place). -->
      <xsl:choose>
        <xsl:when test="ref[label] and not(ref[not(label) or string(number(translate(normalize-space(label), '[]().', ''))) = 'NaN'])">
          <ol class="references labelled">
            <xsl:apply-templates select="ref">
              <xsl:sort select="number(translate(normalize-space(label), '[]().', ''))" data-type="number"/>
            </xsl:apply-templates>
          </ol>
        </xsl:when>
        <xsl:when test="ref[label]">
          <ol class="references labelled">
            <xsl:apply-templates select="ref"/>
          </ol>
        </xsl:when>
        <xsl:when test="ref">
          <ol class="references">
            <xsl:apply-templates select="ref"/>
          </ol>
        </xsl:when>
      </xsl:choose>
      <xsl:apply-templates select="ref-list"/>
    </section>
  </xsl:template>

  <xsl:template match="ref">
    <li class="ref">
      <xsl:call-template name="id"/>
      <xsl:if test="label">
        <xsl:variable name="number" select="translate(normalize-space(label), '[]', '')"/>
        <span class="label">
          <xsl:choose>
            <xsl:when test="substring($number, string-length($number)) = '.'"><xsl:value-of select="$number"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="concat($number, '.')"/></xsl:otherwise>
          </xsl:choose>
        </span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <!-- One rendering per reference: the tagged fields in the journal's style when they
           can be trusted (html.py's fde:styled-citation, the PDF's formatter too), the
           author's own text otherwise. -->
      <xsl:variable name="styled" select="fde:styled-citation(.)"/>
      <xsl:variable name="written" select="mixed-citation | citation
          | citation-alternatives/mixed-citation | citation-alternatives/citation"/>
      <xsl:choose>
        <xsl:when test="$styled">
          <xsl:apply-templates select="$styled"/>
        </xsl:when>
        <xsl:when test="$written">
          <!-- several (translations) are each shown -->
          <xsl:for-each select="$written">
            <xsl:if test="position() &gt; 1"><br/></xsl:if>
            <xsl:apply-templates select="."/>
          </xsl:for-each>
          <xsl:for-each select="(element-citation | citation-alternatives/element-citation)[1][not(../mixed-citation//pub-id[@pub-id-type='doi'])]">
            <xsl:call-template name="citation-links"/>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates select="node()[not(self::label)]"/>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="cited-from"/>
    </li>
  </xsl:template>

  <!-- links back to each place in the text that cites this reference -->
  <!-- Each back-link is named for its citation and its reference ("Back to citation 2 of
       reference 12"): a screen reader's list of links tells them apart. -->
  <xsl:template name="cited-from">
    <xsl:variable name="citing" select="key('xrefs-to', @id)"/>
    <xsl:variable name="reference">
      <xsl:choose>
        <xsl:when test="normalize-space(label)"><xsl:value-of select="translate(normalize-space(label), '[]().', '')"/></xsl:when>
        <xsl:otherwise><xsl:number count="ref" level="any" from="ref-list[not(ancestor::ref-list)]"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:if test="@id and $citing">
      <span class="cited-from">
        <xsl:text> </xsl:text>
        <xsl:for-each select="$citing">
          <a class="back-link" data-citation="{position()}" data-reference="{$reference}" data-l10n-aria="back-to-citation">
            <xsl:attribute name="href">#<xsl:call-template name="xref-id"/></xsl:attribute>
            <xsl:attribute name="aria-label">Back to citation <xsl:value-of select="position()"/> of reference <xsl:value-of select="$reference"/></xsl:attribute>
            <xsl:text>↩</xsl:text>
            <xsl:if test="last() &gt; 1"><sup><xsl:value-of select="position()"/></sup></xsl:if>
          </a>
          <xsl:text> </xsl:text>
        </xsl:for-each>
      </span>
    </xsl:if>
  </xsl:template>

  <!-- mixed citations carry their own punctuation: render them as they stand -->
  <xsl:template match="mixed-citation | citation">
    <span class="citation mixed-citation">
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
      <xsl:call-template name="citation-links">
        <xsl:with-param name="inline" select="true()"/>
      </xsl:call-template>
    </span>
  </xsl:template>

  <!-- names in a mixed citation: Surname Given, spaced even when the source runs them together -->
  <xsl:template match="mixed-citation//name | citation//name">
    <span class="name"><xsl:apply-templates select="." mode="citation-name"/></span>
  </xsl:template>

  <xsl:template match="mixed-citation/person-group | mixed-citation/string-name
      | mixed-citation//year | mixed-citation//source | mixed-citation//article-title | mixed-citation//volume
      | mixed-citation//issue | mixed-citation//fpage | mixed-citation//lpage | mixed-citation//publisher-name
      | mixed-citation//publisher-loc | mixed-citation//edition | mixed-citation//chapter-title
      | mixed-citation//etal | mixed-citation//comment | mixed-citation//elocation-id
      | mixed-citation//collab | mixed-citation//conf-name | mixed-citation//data-title
      | mixed-citation//part-title | mixed-citation//size | mixed-citation//date-in-citation
      | citation//source | citation//article-title | citation//year">
    <span class="{local-name()}"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="mixed-citation//pub-id | citation//pub-id">
    <xsl:choose>
      <xsl:when test="@pub-id-type='doi'">
        <a class="doi" href="https://doi.org/{str:encode-uri(normalize-space(.), false())}"><xsl:value-of select="normalize-space(.)"/></a>
      </xsl:when>
      <xsl:otherwise><span class="pub-id"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- DOI / PubMed links for a citation that names them only as attributes or untagged -->
  <xsl:template name="citation-links">
    <xsl:param name="inline" select="false()"/>
    <xsl:variable name="doi" select="(pub-id[@pub-id-type='doi'] | ext-link[@ext-link-type='doi'])[1]"/>
    <xsl:if test="not($inline) and $doi">
      <xsl:text> </xsl:text>
      <a class="doi" href="https://doi.org/{str:encode-uri(normalize-space($doi), false())}">https://doi.org/<xsl:value-of select="normalize-space($doi)"/></a>
    </xsl:if>
    <xsl:for-each select="pub-id[@pub-id-type='pmid'][not($inline)]">
      <xsl:text> </xsl:text>
      <a class="pmid" href="https://pubmed.ncbi.nlm.nih.gov/{str:encode-uri(normalize-space(.), true())}/">PubMed <xsl:value-of select="normalize-space(.)"/></a>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="name" mode="citation-name">
    <xsl:apply-templates select="prefix"/>
    <xsl:if test="prefix"><xsl:text> </xsl:text></xsl:if>
    <xsl:apply-templates select="surname"/>
    <xsl:if test="given-names"><xsl:text> </xsl:text><xsl:apply-templates select="given-names"/></xsl:if>
    <xsl:if test="suffix"><xsl:text> </xsl:text><xsl:apply-templates select="suffix"/></xsl:if>
  </xsl:template>

  <xsl:template match="*" mode="citation-name">
    <xsl:apply-templates/>
  </xsl:template>


  <!-- ============================================================ misc -->

  <xsl:template match="related-article | related-object">
    <span class="{local-name()}">
      <xsl:variable name="href">
        <xsl:call-template name="safe-url">
          <xsl:with-param name="url" select="@xlink:href"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:choose>
        <xsl:when test="$href != '' and normalize-space(.) = ''"><a href="{$href}"><xsl:value-of select="$href"/></a></xsl:when>
        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <!-- script and style are not JATS: their text is dropped (named, not matched by a
       predicate on every element, which would cost time on each node; a script element of
       any other namespace is only text, escaped like all text) -->
  <xsl:template match="script | style | xhtml:script | xhtml:style | svg:script | svg:style"/>
  <xsl:template match="script | style | xhtml:script | xhtml:style | svg:script | svg:style" mode="mathml"/>

  <!-- anything not matched above contributes its content; attributes are never copied -->
  <xsl:template match="*">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="processing-instruction() | comment()"/>

</xsl:stylesheet>
