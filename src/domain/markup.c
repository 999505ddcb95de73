/*
 * markup.c — the article markup renderer (see markup.h for the syntax).
 *
 * One line-based pass: each line is classified (blank, figure, heading,
 * quote, list item, text) and either closes the open block, extends it,
 * or opens a new one.  A block's text is collected into a Buf first, so
 * the inline pass ("**bold**", links) and the escaping work on one
 * bounded byte range with explicit lengths; nothing relies on a NUL
 * inside the block and nothing is read past the input's NUL.
 *
 * The same walk serves both outputs: HTML (escaped with buf_html_escape,
 * tags written from literals only) and plain text (for search keys,
 * snippets and feeds).  Work is linear in the input: the only look-ahead
 * is the search for a closing "**", and a failed search proves there is
 * no later "**" in the block, so it cannot repeat.
 */
#include "markup.h"

#define FIGURE_MAX 9999   /* "[[hinh:N]]": N has at most 4 digits */
#define OL_DIGITS_MAX 9

typedef enum Block { B_NONE = 0, B_PARA, B_QUOTE, B_UL, B_OL } Block;

typedef struct Ctx {
	Buf *out;
	bool html;
	const Image *images;
	size_t nimages;
	int missing;
	Block open;
	Buf text;        /* the paragraph, quote paragraph or list item being collected */
	bool has_text;   /* text holds a started paragraph / item */
	bool any;        /* plain mode: something was written (for separators) */
	bool started;    /* plain mode: the open block has written its first part */
} Ctx;

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ---- inline: **bold** and links ----------------------------------------- */

/* Length of the URL starting at t[i] ("http://" or "https://" and at least
 * one more character), trailing punctuation excluded; 0 if none. */
static size_t url_len(const char *t, size_t n, size_t i)
{
	size_t scheme;
	if (n - i >= 8 && strncmp(t + i, "https://", 8) == 0)
		scheme = 8;
	else if (n - i >= 7 && strncmp(t + i, "http://", 7) == 0)
		scheme = 7;
	else
		return 0;
	if (i > 0 && (is_alnum(t[i - 1]) || t[i - 1] == '/' || t[i - 1] == '@'))
		return 0; /* inside a word or another URL */
	size_t e = i + scheme;
	bool paren = false;
	while (e < n) {
		unsigned char c = (unsigned char)t[e];
		if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == 0x7f)
			break;
		if (c == '(')
			paren = true;
		e++;
	}
	/* "xem https://a.vn/b." — the full stop ends the sentence, not the URL */
	while (e > i + scheme) {
		char c = t[e - 1];
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' ||
		    c == ']' || c == '}' || (c == ')' && !paren) || c == '*')
			e--;
		else
			break;
	}
	return e > i + scheme ? e - i : 0;
}

static void emit_text(Ctx *c, const char *s, size_t n)
{
	if (c->html)
		buf_html_escape(c->out, s, n);
	else
		buf_append(c->out, s, n);
}

/* Text with links (no bold). */
static void inline_links(Ctx *c, const char *t, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n;) {
		size_t u = (t[i] == 'h') ? url_len(t, n, i) : 0;
		if (!u) {
			i++;
			continue;
		}
		emit_text(c, t + run, i - run);
		if (c->html) {
			buf_puts(c->out, "<a href=\"");
			buf_html_escape(c->out, t + i, u);
			buf_puts(c->out, "\" rel=\"nofollow noopener\">");
			buf_html_escape(c->out, t + i, u);
			buf_puts(c->out, "</a>");
		} else {
			buf_append(c->out, t + i, u);
		}
		i += u;
		run = i;
	}
	emit_text(c, t + run, n - run);
}

/* Text with **bold** pairs and links. */
static void inline_all(Ctx *c, const char *t, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i + 1 < n;) {
		if (t[i] != '*' || t[i + 1] != '*') {
			i++;
			continue;
		}
		size_t j = i + 2;
		while (j + 1 < n && !(t[j] == '*' && t[j + 1] == '*'))
			j++;
		if (j + 1 >= n) /* no closing "**" anywhere after: the rest is text */
			break;
		if (j == i + 2) { /* "****": nothing to make bold, keep as text */
			i = j + 2;
			continue;
		}
		inline_links(c, t + run, i - run);
		if (c->html)
			buf_puts(c->out, "<strong>");
		inline_links(c, t + i + 2, j - i - 2);
		if (c->html)
			buf_puts(c->out, "</strong>");
		i = j + 2;
		run = i;
	}
	inline_links(c, t + run, n - run);
}

/* ---- blocks ------------------------------------------------------------- */

/* Plain mode: separate this block from the previous one. */
static void plain_sep(Ctx *c, const char *sep)
{
	if (!c->html && c->any)
		buf_puts(c->out, sep);
	c->any = true;
}

static void text_add(Ctx *c, const char *s, size_t n)
{
	if (c->has_text)
		buf_putc(&c->text, '\n');
	buf_append(&c->text, s, n);
	c->has_text = true;
}

/* Write the collected paragraph or item, wrapped in `open`/`close`. */
static void flush_text(Ctx *c, const char *open, const char *close, const char *sep)
{
	if (!c->has_text)
		return;
	plain_sep(c, c->started ? sep : "\n\n");
	c->started = true;
	if (c->html)
		buf_puts(c->out, open);
	inline_all(c, c->text.data ? c->text.data : "", c->text.len);
	if (c->html)
		buf_puts(c->out, close);
	buf_reset(&c->text);
	c->has_text = false;
}

static void close_block(Ctx *c)
{
	switch (c->open) {
	case B_PARA:
		flush_text(c, "<p>", "</p>\n", "\n\n");
		break;
	case B_QUOTE:
		flush_text(c, "<p>", "</p>", "\n\n");
		if (c->html)
			buf_puts(c->out, "</blockquote>\n");
		break;
	case B_UL:
	case B_OL:
		flush_text(c, "<li>", "</li>", "\n");
		if (c->html)
			buf_puts(c->out, c->open == B_UL ? "</ul>\n" : "</ol>\n");
		break;
	case B_NONE:
		break;
	}
	c->open = B_NONE;
	buf_reset(&c->text);
	c->has_text = false;
}

static void open_block(Ctx *c, Block b)
{
	close_block(c);
	c->open = b;
	c->started = false;
	if (!c->html)
		return;
	if (b == B_QUOTE)
		buf_puts(c->out, "<blockquote>");
	else if (b == B_UL)
		buf_puts(c->out, "<ul>");
	else if (b == B_OL)
		buf_puts(c->out, "<ol>");
}

bool markup_figure_marker(const char *s, size_t len, int *n)
{
	size_t i = 0;
	while (i < len && is_space(s[i]))
		i++;
	while (len > i && is_space(s[len - 1]))
		len--;
	if (len - i < 10 || strncmp(s + i, "[[hinh:", 7) != 0 || s[len - 1] != ']' ||
	    s[len - 2] != ']')
		return false;
	int v = 0;
	size_t digits = 0;
	for (size_t k = i + 7; k < len - 2; k++) {
		if (!is_digit(s[k]) || ++digits > 4)
			return false;
		v = v * 10 + (s[k] - '0');
	}
	if (digits == 0 || v < 1 || v > FIGURE_MAX)
		return false;
	*n = v;
	return true;
}

static void figure(Ctx *c, int n)
{
	if ((size_t)n > c->nimages) {
		c->missing++;
		return;
	}
	if (!c->html)
		return; /* plain text has no figures; captions are the image's, not the body's */
	const Image *im = &c->images[n - 1];
	buf_printf(c->out, "<figure><img src=\"/anh/%lld\" alt=\"%h\" width=\"%d\" height=\"%d\" "
			   "loading=\"lazy\">",
		   (long long)im->id, im->alt ? im->alt : "", im->width, im->height);
	if (im->caption && *im->caption)
		buf_printf(c->out, "<figcaption>%h</figcaption>", im->caption);
	buf_puts(c->out, "</figure>\n");
}

static void heading(Ctx *c, int level, const char *s, size_t n)
{
	close_block(c);
	plain_sep(c, "\n\n");
	if (c->html)
		buf_puts(c->out, level == 2 ? "<h2>" : "<h3>");
	inline_all(c, s, n);
	if (c->html)
		buf_puts(c->out, level == 2 ? "</h2>\n" : "</h3>\n");
}

/* Length of a list marker at s ("- ", "* ", "12. ", "3) ") followed by
 * content, and its kind; 0 if none. */
static size_t list_marker(const char *s, size_t n, Block *kind)
{
	if (n >= 3 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') {
		*kind = B_UL;
		return 2;
	}
	size_t d = 0;
	while (d < n && d < OL_DIGITS_MAX + 1 && is_digit(s[d]))
		d++;
	if (d >= 1 && d <= OL_DIGITS_MAX && d + 2 < n && (s[d] == '.' || s[d] == ')') &&
	    s[d + 1] == ' ') {
		*kind = B_OL;
		return d + 2;
	}
	return 0;
}

/* One line s[0..n) without its "\n". */
static void line(Ctx *c, const char *s, size_t n)
{
	while (n && is_space(s[n - 1]))
		n--;
	size_t indent = 0;
	while (indent < n && is_space(s[indent]))
		indent++;
	const char *t = s + indent;
	size_t tn = n - indent;
	int fig;
	Block kind = B_NONE;
	size_t m;

	if (tn == 0) {
		close_block(c);
	} else if (markup_figure_marker(t, tn, &fig)) {
		close_block(c);
		figure(c, fig);
	} else if (tn > 4 && strncmp(t, "### ", 4) == 0) {
		heading(c, 3, t + 4, tn - 4);
	} else if (tn > 3 && strncmp(t, "## ", 3) == 0) {
		heading(c, 2, t + 3, tn - 3);
	} else if (t[0] == '>') {
		size_t skip = (tn > 1 && t[1] == ' ') ? 2 : 1;
		if (c->open != B_QUOTE)
			open_block(c, B_QUOTE);
		if (tn == 1) /* a lone ">" separates paragraphs within the quote */
			flush_text(c, "<p>", "</p>", "\n\n");
		else
			text_add(c, t + skip, tn - skip);
	} else if ((m = list_marker(t, tn, &kind)) != 0) {
		if (c->open != kind)
			open_block(c, kind);
		else
			flush_text(c, "<li>", "</li>", "\n");
		text_add(c, t + m, tn - m);
	} else if ((c->open == B_UL || c->open == B_OL) && indent > 0 && c->has_text) {
		text_add(c, t, tn); /* continues the item */
	} else {
		if (c->open != B_PARA)
			open_block(c, B_PARA);
		text_add(c, t, tn);
	}
}

static void walk(Ctx *c, const char *src)
{
	buf_init(&c->text, 0);
	const char *p = src ? src : "";
	for (;;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		line(c, p, n);
		if (!e)
			break;
		p = e + 1;
	}
	close_block(c);
	buf_release(&c->text);
}

int markup_render(Buf *out, const char *src, const Image *images, size_t nimages)
{
	Ctx c = {.out = out, .html = true, .images = images, .nimages = images ? nimages : 0};
	walk(&c, src);
	return c.missing;
}

void markup_plain(Buf *out, const char *src)
{
	Ctx c = {.out = out, .html = false};
	walk(&c, src);
}

/* ---- excerpt ------------------------------------------------------------ */

static bool is_cont(unsigned char ch)
{
	return (ch & 0xC0) == 0x80;
}

void markup_excerpt(Buf *out, const char *src, size_t max_chars)
{
	/* The plain text's first paragraph that is not a heading: headings
	 * are short labels, a poor summary.  Rendering the whole body to find
	 * it is bounded by ARTICLE_BODY_MAX and keeps one parser. */
	Buf plain = BUF_INIT;
	Ctx c = {.out = &plain, .html = false};
	buf_init(&c.text, 0);
	const char *p = src ? src : "";
	for (;;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		size_t i = 0;
		while (i < n && is_space(p[i]))
			i++;
		bool skip = (n - i >= 3 && strncmp(p + i, "## ", 3) == 0) ||
			    (n - i >= 4 && strncmp(p + i, "### ", 4) == 0);
		if (!skip)
			line(&c, p, n);
		else
			close_block(&c);
		if (plain.len && c.open == B_NONE)
			break; /* the first block is complete */
		if (!e)
			break;
		p = e + 1;
	}
	close_block(&c);
	buf_release(&c.text);

	/* Cut before the max_chars-th code point so the "…" fits the budget. */
	const char *t = buf_cstr(&plain);
	size_t len = plain.len, chars = 0, cut = len, last_space = 0;
	for (size_t i = 0; i < len; i++)
		if (!is_cont((unsigned char)t[i]))
			chars++;
	if (chars > max_chars) {
		chars = 0;
		cut = 0;
		for (size_t i = 0; i < len; i++) {
			if (is_cont((unsigned char)t[i]))
				continue;
			if (chars + 1 >= max_chars) {
				cut = i;
				break;
			}
			if (t[i] == ' ' || t[i] == '\n')
				last_space = i;
			chars++;
		}
		size_t end = last_space ? last_space : cut;
		while (end > 0 && (t[end - 1] == ' ' || t[end - 1] == ',' || t[end - 1] == '\n'))
			end--;
		for (size_t i = 0; i < end; i++)
			buf_putc(out, t[i] == '\n' ? ' ' : t[i]);
		if (max_chars)
			buf_puts(out, "…");
	} else {
		for (size_t i = 0; i < len; i++)
			buf_putc(out, t[i] == '\n' ? ' ' : t[i]);
	}
	buf_release(&plain);
}
