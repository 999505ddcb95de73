/*
 * markup.h — the plain-text markup of article bodies, rendered to HTML
 * with everything escaped, or reduced to plain text.
 *
 * Staff type bodies as plain text; nobody writes HTML, so nothing typed
 * can become markup.  The syntax is line based (docs/internals/portal.md):
 *
 *   blank line         ends a block (paragraph, quote, list)
 *   ## Heading         <h2>;  ### Heading  <h3>  (one line each)
 *   > text             a quote; consecutive "> " lines form one
 *                      <blockquote>, a lone ">" starts a new paragraph in it
 *   - item  / * item   an unordered list; "1. item" / "1) item" an ordered one;
 *                      an indented line continues the item above
 *   [[hinh:N]]         alone on a line: the article's Nth figure (1-based,
 *                      in image_list order) with its caption
 *   other lines        a paragraph; its lines are kept joined by "\n"
 *   **bold**           inline, within one block
 *   http(s)://…        inline, becomes a link (rel="nofollow noopener")
 *
 * Each block is written followed by "\n", e.g.
 *   <h2>…</h2>\n<p>…</p>\n<ul><li>…</li><li>…</li></ul>\n
 *   <figure><img src="/anh/ID" alt="…" width="W" height="H" loading="lazy">
 *   <figcaption>…</figcaption></figure>\n  (figcaption only with a caption)
 *
 * The parser reads its input as a NUL-terminated string and never past the
 * NUL; input that is not valid UTF-8 is escaped byte for byte (the
 * dispatcher has already refused it).  It is fuzzed (tests/fuzz/fuzz_markup.c).
 */
#ifndef DANVAN_MARKUP_H
#define DANVAN_MARKUP_H

#include "../base/buf.h"
#include "article.h"

/* Append the HTML of `src` to out.  images[0..nimages) are the article's
 * figures in order.  Returns the number of figure markers that named a
 * figure the article does not have (they render as nothing; the newsroom
 * preview warns about them). */
int markup_render(Buf *out, const char *src, const Image *images, size_t nimages);

/* Append the text of `src` without markup: blocks separated by a blank
 * line, list items one per line, "**" pairs and figure markers dropped.
 * NOT escaped: for search keys, snippets and feeds, which escape it
 * where they write it. */
void markup_plain(Buf *out, const char *src);

/* Append the first paragraph's plain text (headings and figures skipped),
 * cut to at most max_chars code points at a word boundary with "…" when
 * cut.  NOT escaped.  For leads, feeds and <meta name="description">. */
void markup_excerpt(Buf *out, const char *src, size_t max_chars);

/* Parse a figure marker line ("[[hinh:N]]", spaces around allowed):
 * true with *n ≥ 1 when the whole of s[0..len) is one. */
bool markup_figure_marker(const char *s, size_t len, int *n);

#endif
