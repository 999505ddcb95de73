/*
 * demo_articles.c — two years of news for the demo portal (`danvan demo`):
 * about 200 articles in the seeded categories, written by the
 * mass-mobilisation commissions of the demo's seven provinces and by the
 * central commission, each with one to three figures drawn here with
 * libvips, tags, an author, readers' feedback in every state of
 * moderation, and daily view counts — plus the source document's own
 * article, the regional briefing of the 11 Red River Delta provinces,
 * told from its facts.
 *
 * Everything goes through the newsroom's functions (article_create,
 * image_process + image_store, article_transition, feedback_submit,
 * feedback_moderate, feedback_to_case, article_views_flush) with the
 * clock set to each simulated moment (util_set_clock), so dates, the
 * audit log and "most viewed" tell one consistent history.
 *
 * The text comes from templates × places × organisations × dates:
 *   {a|b|c}     one of the alternatives (nested braces allowed)
 *   {#lo-hi}    a whole number in [lo, hi]
 *   {%lo-hi}    the same, written the Vietnamese way (1.250)
 *   {$name}     a variable of the article (below); {^name} capitalised
 * Places are real units from the imported data: before 2025-07-01 the old
 * province, its districts and communes, afterwards the merged province
 * and its new communes; organisations are named as they were on the day
 * ("Ban Dân vận" until 2025-03-01, then "Ban Tuyên giáo và Dân vận").
 * People in generated articles are invented; the real names in the
 * source article are the source's.
 *
 * The figures are illustrations, not photographs: a gradient (vips_xyz,
 * vips_linear) with flat shapes painted on it — a conference hall, a
 * speaker at the rostrum, a village road, a class, a pagoda, a church —
 * and a little grain (vips_gaussnoise, computed once), 800 × 450,
 * encoded as JPEG (vips_jpegsave_buffer) and stored through image_process
 * like any upload: 30–60 KB each.  Two hundred articles take about ten
 * seconds of CPU, most of it JPEG coding.
 *
 * Also: a few drafts, one article in review and one scheduled two days
 * ahead (part of the count), four featured articles among the latest, the
 * feedback of the last five days still waiting for moderation, one
 * robot's submission caught by the honeypot, and a few feedbacks made
 * into citizens' cases when the vault is set up.  Deterministic PRNG: the
 * same data every run (dates relative to today).
 */
#include "demo.h"
#include "article.h"
#include "feedback.h"
#include "user.h"
#include "vault.h"
#include "../base/date.h"
#include "../base/text.h"

#include <vips/vips.h>

#define IMG_W 800           /* pixels of a figure (16:9, like the list thumbnails) */
#define IMG_H 450
#define DW 960              /* the scenes are drawn in these design units */
#define DH 540
#define BATCH 20            /* articles per write transaction */
#define SPAN_DAYS 730
#define TITLE_TRIES 30

/* ==== randomness ========================================================== */

typedef struct Rng {
	uint64_t s;
} Rng;

static uint32_t rnd(Rng *g)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return (uint32_t)(g->s >> 11);
}

static int pick(Rng *g, int n)
{
	return n <= 0 ? 0 : (int)(rnd(g) % (uint32_t)n);
}

static bool chance(Rng *g, int percent)
{
	return pick(g, 100) < percent;
}

/* ==== the template language ================================================ */

#define VARS_MAX 96

typedef struct Var {
	const char *name;
	char *value;
} Var;

typedef struct Ctx {
	Rng *g;
	Var vars[VARS_MAX];
	int nvars;
	const char *missing;   /* the first unknown variable, a bug in a template */
} Ctx;

static void ctx_clear(Ctx *c)
{
	for (int i = 0; i < c->nvars; i++)
		free(c->vars[i].value);
	c->nvars = 0;
	c->missing = NULL;
}

/* name must be a literal (it is kept, not copied). */
static void set(Ctx *c, const char *name, const char *value)
{
	for (int i = 0; i < c->nvars; i++) {
		if (str_eq(c->vars[i].name, name)) {
			free(c->vars[i].value);
			c->vars[i].value = xstrdup(value ? value : "");
			return;
		}
	}
	if (c->nvars == VARS_MAX)
		abort(); /* a programming error: raise VARS_MAX */
	c->vars[c->nvars].name = name;
	c->vars[c->nvars].value = xstrdup(value ? value : "");
	c->nvars++;
}

static void set_buf(Ctx *c, const char *name, Buf *b)
{
	set(c, name, buf_cstr(b));
	buf_reset(b);
}

static const char *get(Ctx *c, const char *name, size_t n)
{
	for (int i = 0; i < c->nvars; i++)
		if (strlen(c->vars[i].name) == n && memcmp(c->vars[i].name, name, n) == 0)
			return c->vars[i].value;
	if (!c->missing)
		c->missing = "unknown variable in a template";
	return NULL;
}

/* Vietnamese lower-case initials and their capitals (precomposed). */
static const char *const initials[][2] = {
	{"à", "À"}, {"á", "Á"}, {"â", "Â"}, {"ă", "Ă"}, {"đ", "Đ"}, {"è", "È"}, {"é", "É"},
	{"ê", "Ê"}, {"ì", "Ì"}, {"í", "Í"}, {"ò", "Ò"}, {"ó", "Ó"}, {"ô", "Ô"}, {"ơ", "Ơ"},
	{"ù", "Ù"}, {"ú", "Ú"}, {"ư", "Ư"}, {"ý", "Ý"},
};

/* Upper-case the first letter. */
static void put_capital(Buf *b, const char *s)
{
	if (*s >= 'a' && *s <= 'z') {
		buf_putc(b, (char)(*s - 'a' + 'A'));
		buf_puts(b, s + 1);
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(initials); i++) {
		if (str_starts(s, initials[i][0])) {
			buf_puts(b, initials[i][1]);
			buf_puts(b, s + strlen(initials[i][0]));
			return;
		}
	}
	buf_puts(b, s);
}

/* Lower-case the first letter of an administrative name ("Xã Diên Hà" →
 * "xã Diên Hà", "Đặc khu …" → "đặc khu …"). */
static void put_lower(Buf *b, const char *s)
{
	if (*s >= 'A' && *s <= 'Z') {
		buf_putc(b, (char)(*s - 'A' + 'a'));
		buf_puts(b, s + 1);
	} else if (str_starts(s, "Đ")) {
		buf_puts(b, "đ");
		buf_puts(b, s + strlen("Đ"));
	} else {
		buf_puts(b, s);
	}
}

/* The end of the brace group that starts at s[0] == '{' (index of '}'). */
static size_t group_end(const char *s, size_t n)
{
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i;
	}
	return n; /* unbalanced: the rest */
}

static void expand_n(Buf *out, const char *s, size_t n, Ctx *c, int depth);

static void number(Buf *out, const char *s, size_t n, Ctx *c, bool grouped)
{
	long lo = 0, hi = 0;
	char tmp[48];
	if (n >= sizeof tmp) {
		c->missing = "bad number range";
		return;
	}
	memcpy(tmp, s, n);
	tmp[n] = 0;
	char *dash = strchr(tmp, '-');
	if (!dash) {
		c->missing = "bad number range";
		return;
	}
	*dash = 0;
	int64_t a, b;
	if (!util_parse_i64(tmp, 0, 100000000, &a) || !util_parse_i64(dash + 1, 0, 100000000, &b) || b < a) {
		c->missing = "bad number range";
		return;
	}
	lo = (long)a;
	hi = (long)b;
	long v = lo + (long)(rnd(c->g) % (uint32_t)(hi - lo + 1));
	if (grouped)
		text_format_int_vi(out, v);
	else
		buf_printf(out, "%ld", v);
}

static void group(Buf *out, const char *s, size_t n, Ctx *c, int depth)
{
	if (n && (s[0] == '$' || s[0] == '^')) {
		const char *v = get(c, s + 1, n - 1);
		if (!v)
			return;
		Buf tmp = BUF_INIT;
		expand_n(&tmp, v, strlen(v), c, depth + 1); /* values may hold templates */
		if (s[0] == '^')
			put_capital(out, buf_cstr(&tmp));
		else
			buf_puts(out, buf_cstr(&tmp));
		buf_release(&tmp);
		return;
	}
	if (n && (s[0] == '#' || s[0] == '%')) {
		number(out, s + 1, n - 1, c, s[0] == '%');
		return;
	}
	/* alternatives, split at the top-level '|' */
	size_t starts[32], ends[32];
	int k = 0, d = 0;
	starts[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{')
			d++;
		else if (s[i] == '}')
			d--;
		else if (s[i] == '|' && d == 0 && k < 31) {
			ends[k] = i;
			starts[++k] = i + 1;
		}
	}
	ends[k] = n;
	int choice = pick(c->g, k + 1);
	expand_n(out, s + starts[choice], ends[choice] - starts[choice], c, depth + 1);
}

static void expand_n(Buf *out, const char *s, size_t n, Ctx *c, int depth)
{
	if (depth > 12) {
		c->missing = "templates nested too deep";
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '{') {
			buf_putc(out, s[i]);
			continue;
		}
		size_t e = i + group_end(s + i, n - i);
		if (e >= n) {
			c->missing = "unbalanced braces in a template";
			return;
		}
		group(out, s + i + 1, e - i - 1, c, depth);
		i = e;
	}
}

static void expand(Buf *out, const char *tpl, Ctx *c)
{
	buf_reset(out);
	expand_n(out, tpl, strlen(tpl), c, 0);
}

/* ==== figures ============================================================= */

typedef enum Scene {
	SC_HALL,      /* a conference: rostrum table, red backdrop, rows of delegates */
	SC_SPEAKER,   /* one person at the lectern */
	SC_VILLAGE,   /* a village road with houses and trees */
	SC_FIELD,     /* rice fields and people working */
	SC_CLASS,     /* a training class: screen and desks */
	SC_PAGODA,
	SC_CHURCH,
	SC_GIFT,      /* people in a row on a stage, presenting */
	SC_HOUSE,     /* a new house handed over */
} Scene;

static void ink(uint32_t rgb, double out[3])
{
	out[0] = (rgb >> 16) & 0xFF;
	out[1] = (rgb >> 8) & 0xFF;
	out[2] = rgb & 0xFF;
}

/* Flat shapes are painted straight into the memory image: vips_draw_*
 * costs an operation (about a millisecond) per call, and a picture has
 * hundreds of shapes. */
static void span(VipsImage *im, uint32_t rgb, int x0, int x1, int y)
{
	if (y < 0 || y >= IMG_H)
		return;
	if (x0 < 0)
		x0 = 0;
	if (x1 > IMG_W)
		x1 = IMG_W;
	unsigned char r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
	for (int x = x0; x < x1; x++) {
		unsigned char *p = VIPS_IMAGE_ADDR(im, x, y);
		p[0] = r;
		p[1] = g;
		p[2] = b;
	}
}

/* Design units → pixels. */
static int sx(int v)
{
	return v * IMG_W / DW;
}

static int sy(int v)
{
	return v * IMG_H / DH;
}

static void rect(VipsImage *im, uint32_t rgb, int x, int y, int w, int h)
{
	int y1 = sy(y + h);
	if (y1 == sy(y))
		y1++;
	for (int j = sy(y); j < y1; j++)
		span(im, rgb, sx(x), sx(x + w), j);
}

static void disc(VipsImage *im, uint32_t rgb, int cx, int cy, int radius)
{
	int x0 = sx(cx), y0 = sy(cy), r = sx(radius);
	for (int dy = -r; dy <= r; dy++) {
		int dx = 0;
		while ((dx + 1) * (dx + 1) + dy * dy <= r * r)
			dx++;
		span(im, rgb, x0 - dx, x0 + dx + 1, y0 + dy);
	}
}

/* Thin lines are few: libvips draws them. */
static void line(VipsImage *im, uint32_t rgb, int x1, int y1, int x2, int y2)
{
	double c[3];
	ink(rgb, c);
	vips_draw_line(im, c, 3, sx(x1), sy(y1), sx(x2), sy(y2), NULL);
}

/* A filled triangle with its apex at (cx, top), base half-width hw. */
static void roof(VipsImage *im, uint32_t rgb, int cx, int top, int hw, int h)
{
	for (int i = 0; i < h; i++) {
		int half = hw * i / (h > 1 ? h - 1 : 1);
		rect(im, rgb, cx - half, top + i, 2 * half + 1, 1);
	}
}

static const uint32_t shirts[] = {0xf4f4f4, 0xe8eef6, 0x2c3e63, 0x34495e, 0x6f8fb8, 0xd9d2c0,
				  0x8b0000, 0x1e6b30, 0xf0e6d0, 0x5b6770};
static const uint32_t skins[] = {0xe3b48f, 0xd6a27c, 0xc99270, 0xe8c2a0};

/* A person: shoulders and head, size by scale; seen from behind (the
 * audience: all hair) or from the front (a face under the hair). */
static void person(VipsImage *im, Rng *g, int cx, int base, int scale, bool hat, bool front)
{
	uint32_t shirt = shirts[pick(g, ARRAY_LEN(shirts))];
	int r = scale;
	rect(im, shirt, cx - r * 2, base - r * 2, r * 4, r * 2 + 2);
	disc(im, shirt, cx - r * 2 + r / 2, base - r * 2 + r / 2, r / 2);
	disc(im, shirt, cx + r * 2 - r / 2, base - r * 2 + r / 2, r / 2);
	if (front)
		rect(im, skins[0], cx - r / 3, base - r * 2 - r / 3, r * 2 / 3, r / 2); /* the neck */
	disc(im, skins[pick(g, ARRAY_LEN(skins))], cx, base - r * 3, r);
	if (hat)
		roof(im, 0xe9d9a6, cx, base - r * 5, r * 2, r * 2);
	else if (front)
		rect(im, 0x1b1b1b, cx - r * 9 / 10, base - r * 4 + r / 10, r * 18 / 10, r / 2 + 1);
	else
		disc(im, 0x1b1b1b, cx, base - r * 3 - r / 2, r * 9 / 10);
}

static void flowers(VipsImage *im, Rng *g, int x, int y, int w)
{
	static const uint32_t petals[] = {0xf0b400, 0xd62828, 0xf77f00, 0xffffff, 0xe5446d};
	rect(im, 0x2f6b2a, x, y, w, 6);
	for (int i = 0; i < w / 9; i++)
		disc(im, petals[pick(g, ARRAY_LEN(petals))], x + 4 + i * 9 + pick(g, 4), y - 2 + pick(g, 6),
		     4 + pick(g, 3));
}

static void tree(VipsImage *im, Rng *g, int x, int base, int size)
{
	rect(im, 0x5a3b1e, x - size / 8, base - size, size / 4, size);
	uint32_t leaf = pick(g, 2) ? 0x2f7d32 : 0x3c8d40;
	disc(im, leaf, x, base - size, size / 2);
	disc(im, leaf, x - size / 3, base - size * 3 / 4, size / 3);
	disc(im, leaf, x + size / 3, base - size * 3 / 4, size / 3);
}

/* The backdrop of a Vietnamese conference: red with a gold emblem and
 * lines of (unreadable) gold and white lettering. */
static void backdrop(VipsImage *im, Rng *g, int x, int y, int w, int h, uint32_t colour)
{
	rect(im, colour, x, y, w, h);
	disc(im, 0xf0b400, x + h / 2, y + h / 2, h / 3);
	disc(im, colour, x + h / 2, y + h / 2, h / 5);
	int lines = 2 + pick(g, 2);
	for (int i = 0; i < lines; i++) {
		int lw = w - h - 40 - pick(g, w / 4);
		rect(im, i == 0 ? 0xf6e7a8 : 0xffffff, x + h + 10 + (w - h - 20 - lw) / 2,
		     y + h / 4 + i * (h / 2) / lines, lw, h / 14 + 2);
	}
}

static void sky_ground(VipsImage *im, int horizon, uint32_t ground)
{
	rect(im, ground, 0, horizon, DW, DH - horizon);
}

static void draw_scene(VipsImage *im, Rng *g, Scene sc)
{
	int i, j;
	switch (sc) {
	case SC_HALL:
		backdrop(im, g, 60, 30, DW - 120, 150, 0x8b0000);
		rect(im, 0x6b3a1e, 0, 190, DW, 8);
		for (i = 0; i < 5; i++)
			person(im, g, 250 + i * 115, 262, 12, false, true);
		rect(im, 0xf4f4f4, 190, 250, 580, 22);
		rect(im, 0xb00020, 190, 272, 580, 40);
		flowers(im, g, 200, 300, 560);
		for (j = 0; j < 4; j++) {
			int y = 370 + j * 48, s = 12 + j * 3;
			for (i = 0; i < 12 - j; i++)
				person(im, g, 40 + i * (DW - 80) / (11 - j) + pick(g, 10), y + s * 3, s,
				       false, false);
		}
		break;
	case SC_SPEAKER:
		backdrop(im, g, 0, 0, DW, 230, pick(g, 3) ? 0x8b0000 : 0x0b4f9c);
		person(im, g, 430 + pick(g, 100), 345, 38, false, true);
		line(im, 0x222222, 470, 250, 452, 330); /* the microphone */
		line(im, 0x222222, 471, 250, 453, 330);
		disc(im, 0x333333, 470, 248, 6);
		rect(im, 0x6b3a1e, 320, 330, 320, DH - 330);
		rect(im, 0x8a5a2b, 330, 340, 300, 10);
		disc(im, 0xf0b400, 480, 410, 34);
		disc(im, 0xb00020, 480, 410, 24);
		flowers(im, g, 330, DH - 40, 300);
		break;
	case SC_VILLAGE:
		sky_ground(im, 250, 0x5d8f3a);
		for (i = 0; i < 290; i++) { /* the road narrows to the horizon */
			int half = 30 + i * 220 / 290;
			rect(im, 0x9c9c94, DW / 2 - half, 250 + i, half * 2, 1);
		}
		for (i = 0; i < 4; i++) {
			int x = 40 + i * 110 + pick(g, 20), w = 80 + pick(g, 20), top = 170 + pick(g, 30);
			uint32_t wall = pick(g, 2) ? 0xf2e3b3 : 0xe9e4da;
			rect(im, wall, x, top, w, 250 - top + 40);
			roof(im, 0xa33b20, x + w / 2, top - 40, w / 2 + 10, 40);
			rect(im, 0x6b3a1e, x + w / 2 - 10, 250 + 10, 20, 30);
			tree(im, g, DW - 60 - i * 90 - pick(g, 20), 290, 70 + pick(g, 30));
		}
		flowers(im, g, 200, 500, 200);
		flowers(im, g, 560, 500, 200);
		for (i = 0; i < 3; i++)
			person(im, g, 380 + i * 90 + pick(g, 30), 470 + pick(g, 30), 10 + pick(g, 4), false, true);
		break;
	case SC_FIELD:
		sky_ground(im, 200, 0x7bb661);
		for (i = 0; i < 17; i++)
			rect(im, i % 2 ? 0x8cc56d : 0x6aa84f, 0, 200 + i * i * 340 / 289, DW, 3 + i);
		for (i = 0; i < 3; i++)
			tree(im, g, 80 + i * 340 + pick(g, 60), 205, 50 + pick(g, 20));
		for (i = 0; i < 6; i++)
			person(im, g, 80 + i * 150 + pick(g, 40), 330 + pick(g, 150), 11 + pick(g, 5), true, true);
		break;
	case SC_CLASS:
		rect(im, 0x6b3a1e, 0, 330, DW, 8);
		rect(im, 0xfafafa, 250, 40, 460, 240);
		rect(im, 0xdbe8f6, 265, 55, 430, 170);
		rect(im, 0x0b4f9c, 265, 55, 430, 30);
		for (i = 0; i < 5; i++)
			rect(im, 0x9db4cf, 290, 100 + i * 22, 220 + pick(g, 150), 8);
		person(im, g, 150, 330, 18, false, true);
		for (j = 0; j < 3; j++) {
			int y = 400 + j * 55, s = 14 + j * 3;
			for (i = 0; i < 8; i++) {
				person(im, g, 70 + i * 118 + pick(g, 8), y, s, false, false);
				rect(im, 0x8a5a2b, 30 + i * 118, y - 4, 90, 12);
			}
		}
		break;
	case SC_PAGODA:
		sky_ground(im, 380, 0xb9a27a);
		rect(im, 0xa87f4f, 300, 220, 360, 160);
		for (i = 0; i < 3; i++) {
			int w = 440 - i * 110, y = 200 - i * 70;
			rect(im, 0x7a2f1c, DW / 2 - w / 2, y, w, 26);
			disc(im, 0x7a2f1c, DW / 2 - w / 2, y - 4, 14);
			disc(im, 0x7a2f1c, DW / 2 + w / 2, y - 4, 14);
			if (i < 2)
				rect(im, 0xb88b55, DW / 2 - w / 2 + 50, y - 44, w - 100, 44);
		}
		rect(im, 0x5c1f12, 450, 290, 60, 90);
		tree(im, g, 150, 380, 120);
		tree(im, g, 820, 380, 110);
		for (i = 0; i < 5; i++)
			person(im, g, 200 + i * 140 + pick(g, 30), 480 + pick(g, 40), 13, false, true);
		break;
	case SC_CHURCH:
		sky_ground(im, 400, 0x9e9e96);
		rect(im, 0xe6e0d2, 330, 200, 300, 200);
		roof(im, 0x8e8577, 480, 120, 170, 80);
		rect(im, 0xe6e0d2, 445, 40, 70, 160);
		roof(im, 0x8e8577, 480, 0, 45, 42);
		rect(im, 0xf0b400, 476, 2, 8, 34);
		rect(im, 0xf0b400, 466, 12, 28, 7);
		disc(im, 0x4b3a2a, 480, 330, 36);
		rect(im, 0x4b3a2a, 444, 330, 73, 70);
		disc(im, 0xbfd4ea, 480, 250, 20);
		tree(im, g, 160, 400, 110);
		tree(im, g, 800, 400, 120);
		for (i = 0; i < 6; i++)
			person(im, g, 120 + i * 140 + pick(g, 30), 490 + pick(g, 30), 13, false, true);
		break;
	case SC_GIFT:
		backdrop(im, g, 40, 20, DW - 80, 170, 0x8b0000);
		rect(im, 0x7a2f1c, 0, 380, DW, DH - 380);
		for (i = 0; i < 7; i++) {
			int x = 100 + i * 127;
			person(im, g, x, 400, 24, false, true);
			if (i % 2 == 0) {
				rect(im, 0xf0b400, x - 34, 358, 68, 44);
				rect(im, 0xb00020, x - 30, 362, 60, 36);
			} else {
				flowers(im, g, x - 24, 380, 48);
			}
		}
		break;
	case SC_HOUSE:
		sky_ground(im, 330, 0x6f9b45);
		rect(im, 0xf3d36b, 290, 180, 380, 170);
		roof(im, 0xb23a1a, 480, 90, 220, 95);
		rect(im, 0x7a4a22, 445, 250, 70, 100);
		rect(im, 0xbfd4ea, 330, 230, 70, 50);
		rect(im, 0xbfd4ea, 560, 230, 70, 50);
		rect(im, 0xd62828, 280, 360, 400, 8);
		tree(im, g, 140, 340, 120);
		for (i = 0; i < 6; i++)
			person(im, g, 220 + i * 105 + pick(g, 20), 500, 16, false, true);
		break;
	}
}

/* Sky or wall behind each scene: top and bottom colours of the gradient. */
static void background(Scene sc, Rng *g, uint32_t *top, uint32_t *bottom)
{
	switch (sc) {
	case SC_VILLAGE: case SC_FIELD: case SC_PAGODA: case SC_CHURCH: case SC_HOUSE:
		*top = pick(g, 2) ? 0x7fb3e6 : 0x9cc7ee;
		*bottom = 0xeef5fb;
		break;
	case SC_CLASS:
		*top = 0xe9e4d6;
		*bottom = 0xcfc6b0;
		break;
	default:
		*top = 0xefe6d2;
		*bottom = 0xb9a886;
		break;
	}
}

/* The grain laid over every picture: Gaussian noise, blurred a little,
 * made once (it is the slowest part) and kept as signed bytes. */
static signed char *grain;

static void grain_release(void)
{
	free(grain);
	grain = NULL;
}

static bool grain_make(void)
{
	VipsImage *noise = NULL, *soft = NULL, *bytes = NULL;
	bool ok = !vips_gaussnoise(&noise, IMG_W * 3, IMG_H, "sigma", 6.0, "mean", 0.0, NULL) &&
		  !vips_gaussblur(noise, &soft, 0.8, NULL) && !vips_cast_char(soft, &bytes, NULL);
	size_t n = 0;
	void *mem = ok ? vips_image_write_to_memory(bytes, &n) : NULL;
	if (mem && n == (size_t)IMG_W * 3 * IMG_H) {
		grain = xmalloc(n);
		memcpy(grain, mem, n);
	}
	g_free(mem);
	VipsImage *all[] = {noise, soft, bytes};
	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		if (all[i])
			g_object_unref(all[i]);
	return grain != NULL;
}

/* A JPEG of the scene (g_malloc'd: g_free it), NULL on failure.  The
 * background is a vertical gradient made by libvips from vips_xyz and
 * vips_linear on one column, widened with vips_embed. */
static void *picture(Rng *g, Scene sc, size_t *len)
{
	VipsImage *xyz = NULL, *y = NULL, *grad = NULL, *u8 = NULL, *wide = NULL, *canvas = NULL;
	void *jpeg = NULL;
	if (!grain && !grain_make())
		goto out;
	uint32_t top, bottom;
	background(sc, g, &top, &bottom);
	double c1[3], c2[3], a[3], b[3];
	ink(top, c1);
	ink(bottom, c2);
	for (int i = 0; i < 3; i++) {
		a[i] = (c2[i] - c1[i]) / (IMG_H - 1);
		b[i] = c1[i];
	}
	if (vips_xyz(&xyz, 1, IMG_H, NULL) || vips_extract_band(xyz, &y, 1, NULL) ||
	    vips_linear(y, &grad, a, b, 3, NULL) || vips_cast_uchar(grad, &u8, NULL) ||
	    vips_embed(u8, &wide, 0, 0, IMG_W, IMG_H, "extend", VIPS_EXTEND_COPY, NULL) ||
	    !(canvas = vips_image_copy_memory(wide)))
		goto out;
	draw_scene(canvas, g, sc);
	/* a little grain, so it reads as a picture rather than a diagram */
	for (int row = 0; row < IMG_H; row++) {
		unsigned char *p = VIPS_IMAGE_ADDR(canvas, 0, row);
		const signed char *q = grain + (size_t)row * IMG_W * 3;
		for (int i = 0; i < IMG_W * 3; i++) {
			int v = p[i] + q[i];
			p[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
		}
	}
	if (vips_jpegsave_buffer(canvas, &jpeg, len, "Q", 85, NULL))
		jpeg = NULL;
out:
	if (!jpeg)
		vips_error_clear();
	VipsImage *all[] = {xyz, y, grad, u8, wide, canvas};
	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		if (all[i])
			g_object_unref(all[i]);
	return jpeg;
}

/* ==== places, people and organisations ===================================== */

/* The 11 provinces of the Red River Delta before 2025-07-01 and the
 * province each merged into (demo.h's seven). */
static const struct {
	const char *old, *now;
	int weight;
} provinces_2020[] = {
	{"01", "01", 4}, {"31", "31", 2}, {"22", "22", 2}, {"26", "25", 1}, {"27", "24", 1},
	{"30", "31", 1}, {"33", "33", 1}, {"34", "33", 2}, {"35", "37", 1}, {"36", "37", 2},
	{"37", "37", 1},
};

/* The seven provinces after 2025-07-01 and their demo leaders
 * (<slug>.leader: CAP_NEWS_PUBLISH, organisation = the province's
 * mass-mobilisation commission). */
static const struct {
	const char *code, *slug;
	int weight;
} provinces_2025[] = {
	{"01", "ha-noi", 4}, {"31", "hai-phong", 2}, {"22", "quang-ninh", 2}, {"33", "hung-yen", 2},
	{"37", "ninh-binh", 2}, {"24", "bac-ninh", 1}, {"25", "phu-tho", 1},
};

/* Places of worship and ethnic-minority areas, by the old province code
 * they lie in; `before` is how the place was named before 2025-07-01 and
 * `after` the commune or ward it is in now (NULL: just the province). */
typedef struct Site {
	const char *old;
	char kind;           /* 'P' pagoda, 'C' Catholic parish, 'E' ethnic-minority area */
	const char *name;    /* the site, or the ethnic groups */
	const char *before, *after;
} Site;

static const Site sites[] = {
	{"34", 'P', "chùa Keo", "huyện Vũ Thư", "xã Vũ Thư"},
	{"37", 'P', "chùa Bái Đính", "huyện Gia Viễn", "xã Gia Viễn"},
	{"35", 'P', "chùa Tam Chúc", "huyện Kim Bảng", "phường Tam Chúc"},
	{"35", 'P', "chùa Long Đọi Sơn", "thị xã Duy Tiên", "phường Duy Tiên"},
	{"30", 'P', "chùa Côn Sơn", "thành phố Chí Linh", "phường Chí Linh"},
	{"22", 'P', "chùa Hoa Yên (Yên Tử)", "thành phố Uông Bí", "phường Yên Tử"},
	{"01", 'P', "chùa Hương", "huyện Mỹ Đức", "xã Hương Sơn"},
	{"01", 'P', "chùa Tây Phương", "huyện Thạch Thất", "xã Tây Phương"},
	{"27", 'P', "chùa Phật Tích", "huyện Tiên Du", NULL},
	{"27", 'P', "chùa Dâu", "huyện Thuận Thành", NULL},
	{"33", 'P', "chùa Chuông", "thành phố Hưng Yên", NULL},
	{"31", 'P', "chùa Dư Hàng", "quận Lê Chân", NULL},
	{"26", 'P', "Thiền viện Trúc Lâm Tây Thiên", "huyện Tam Đảo", NULL},
	{"37", 'C', "giáo xứ Phát Diệm", "huyện Kim Sơn", "xã Phát Diệm"},
	{"36", 'C', "giáo xứ Phú Nhai", "huyện Xuân Trường", "xã Xuân Trường"},
	{"36", 'C', "giáo xứ Hải Lý", "huyện Hải Hậu", "xã Hải Hậu"},
	{"30", 'C', "giáo xứ Kẻ Sặt", "huyện Bình Giang", "xã Kẻ Sặt"},
	{"22", 'E', "Dao, Tày và Sán Chay", "huyện Bình Liêu", "xã Bình Liêu"},
	{"22", 'E', "Dao và Sán Chay", "huyện Ba Chẽ", "xã Ba Chẽ"},
	{"22", 'E', "Dao, Tày và Sán Dìu", "huyện Tiên Yên", "xã Tiên Yên"},
	{"01", 'E', "Mường và Dao", "huyện Ba Vì", "xã Ba Vì"},
	{"37", 'E', "Mường", "huyện Nho Quan", "xã Nho Quan"},
	{"26", 'E', "Sán Dìu", "huyện Tam Đảo", "xã Đạo Trù"},
	/* not among the 11, but in the merged provinces */
	{"17", 'E', "Thái và Mường", NULL, "xã Mai Châu"},
	{"17", 'E', "Mường", NULL, "xã Tân Lạc"},
	{"24", 'E', "Nùng, Tày và Sán Chay", NULL, "xã Sơn Động"},
	{"24", 'E', "Nùng và Tày", NULL, "xã Lục Ngạn"},
};

static const char *const successor_of_other[][2] = {{"17", "25"}, {"24", "24"}};

static const char *successor(const char *old)
{
	for (size_t i = 0; i < ARRAY_LEN(provinces_2020); i++)
		if (str_eq(provinces_2020[i].old, old))
			return provinces_2020[i].now;
	for (size_t i = 0; i < ARRAY_LEN(successor_of_other); i++)
		if (str_eq(successor_of_other[i][0], old))
			return successor_of_other[i][1];
	return "";
}

static const char *const families[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng",
				       "Bùi", "Đỗ", "Ngô", "Dương", "Đinh", "Trịnh", "Lương", "Mai",
				       "Tạ", "Phan", "Đào"};
static const char *const male_middles[] = {"Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh",
					   "Tiến", "Thanh", "Công"};
static const char *const female_middles[] = {"Thị", "Thu", "Thanh", "Ngọc", "Thị Thu", "Thị Minh",
					     "Hồng", "Thúy"};
static const char *const male_givens[] = {"An", "Bình", "Chiến", "Cường", "Dũng", "Hải", "Hòa",
					  "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quý", "Sơn",
					  "Thắng", "Toàn", "Trung", "Tuấn", "Vinh", "Hưng", "Lâm",
					  "Thành", "Kiên", "Hiếu"};
static const char *const female_givens[] = {"Hà", "Hằng", "Hạnh", "Hoa", "Huyền", "Lan", "Liên",
					    "Mai", "Nga", "Nhung", "Oanh", "Phượng", "Thảo", "Thủy",
					    "Trang", "Vân", "Yến", "Hương", "Loan", "Dung"};

/* A person's name; *female tells whether to say "bà" or "ông". */
static void person_name(Buf *b, Rng *g, bool *female)
{
	bool f = chance(g, 40);
	if (female)
		*female = f;
	buf_printf(b, "%s %s %s", families[pick(g, ARRAY_LEN(families))],
		   f ? female_middles[pick(g, ARRAY_LEN(female_middles))]
		     : male_middles[pick(g, ARRAY_LEN(male_middles))],
		   f ? female_givens[pick(g, ARRAY_LEN(female_givens))]
		     : male_givens[pick(g, ARRAY_LEN(male_givens))]);
}

/* Bylines: the portal's contributors, sometimes with their commission. */
static const char *const bylines[] = {"Minh Hằng", "Thu Trang", "Quang Huy", "Thanh Hà",
				      "Ngọc Lan", "Đức Anh", "Phương Thảo", "Hải Yến", "Văn Toàn",
				      "Mai Anh", "Hồng Nhung", "Tuấn Minh", "Bích Ngọc", "Trọng Đức",
				      "Lê Hương", "Khánh Linh"};

static const char *const hamlets[] = {"thôn Đông", "thôn Đoài", "thôn Nam", "thôn Bắc",
				      "thôn Thượng", "thôn Hạ", "thôn Trung", "thôn An Lạc",
				      "thôn Phú Mỹ", "thôn Tân Thành", "thôn Đồng Tâm",
				      "thôn Hòa Bình", "thôn Quyết Tiến", "thôn Cao Xá", "thôn Vân Tập",
				      "thôn Lạc Thịnh"};

/* "Dân vận khéo" models: name, the problem, what was done, the result,
 * and the picture that goes with it. */
typedef struct Model {
	const char *name, *problem, *action, *result;
	Scene scene;
} Model;

static const Model models[] = {
	{"Tuyến đường hoa tự quản",
	 "nhiều tuyến đường thôn, xóm còn nhếch nhác, cỏ dại mọc ven đường, rác thải vứt bừa bãi",
	 "Chi hội Phụ nữ nhận chăm sóc {#2-6} km đường hoa; mỗi hội viên phụ trách đoạn đường trước cửa nhà mình, hằng tháng tổng vệ sinh vào sáng Chủ nhật cuối tháng",
	 "đường làng xanh, sạch, đẹp; ý thức giữ gìn vệ sinh chung của người dân được nâng lên rõ rệt",
	 SC_VILLAGE},
	{"Hiến đất mở rộng đường giao thông nông thôn",
	 "đường trục thôn chỉ rộng 2–3 m, xe cứu thương, xe chở nông sản không vào được, nhiều đoạn lầy lội mỗi khi mưa",
	 "cán bộ, đảng viên gương mẫu hiến đất trước; tổ vận động gồm bí thư chi bộ, trưởng thôn và các chi hội trưởng đến từng nhà trao đổi, lắng nghe ý kiến của bà con",
	 "{#40-180} hộ tự nguyện hiến {%1500-9000} m² đất, tháo dỡ tường rào, công trình phụ; {#2-8} km đường được mở rộng lên 5–6 m mà không phải chi tiền bồi thường",
	 SC_VILLAGE},
	{"Camera an ninh",
	 "tình trạng trộm cắp vặt, vi phạm trật tự an toàn giao thông vẫn còn xảy ra, nhất là ở các tuyến đường vắng",
	 "Ban Công tác Mặt trận các thôn vận động các hộ góp tiền lắp đặt {#12-60} camera giám sát tại các ngã ba, ngã tư, kết nối với điện thoại của lực lượng công an",
	 "tình hình an ninh, trật tự chuyển biến rõ; nhiều vụ việc được phát hiện, xử lý kịp thời, người dân yên tâm làm ăn",
	 SC_VILLAGE},
	{"Thắp sáng đường quê",
	 "các tuyến đường liên thôn thiếu ánh sáng về đêm, người dân, nhất là học sinh, đi lại khó khăn",
	 "Đoàn Thanh niên phối hợp với Hội Cựu chiến binh vận động nhân dân đóng góp kinh phí, ngày công lắp đặt {#150-700} bóng đèn chiếu sáng trên {#4-20} km đường",
	 "người dân đi lại thuận tiện, an toàn hơn; góp phần giữ gìn an ninh, trật tự ở khu dân cư",
	 SC_VILLAGE},
	{"Phân loại rác thải tại nguồn",
	 "lượng rác thải sinh hoạt tăng nhanh, điểm tập kết thường xuyên quá tải, gây ô nhiễm",
	 "hội viên được hướng dẫn phân loại rác hữu cơ để ủ làm phân bón cây, rác có thể tái chế được thu gom bán để gây quỹ hội",
	 "lượng rác phải thu gom, xử lý giảm khoảng {#25-45}%, quỹ hội tăng thêm hàng chục triệu đồng mỗi năm",
	 SC_VILLAGE},
	{"Dân vận khéo trong hòa giải ở cơ sở",
	 "mâu thuẫn giữa các hộ về ranh giới đất, lối đi chung, nếu không được giải quyết sớm dễ dẫn đến khiếu kiện kéo dài",
	 "tổ hòa giải gồm trưởng thôn, chi hội trưởng các đoàn thể và người có uy tín trong dòng họ; mỗi vụ việc được gặp gỡ, trao đổi riêng với từng bên trước khi ngồi lại với nhau",
	 "{#85-97}% vụ việc được hòa giải thành, không để phát sinh khiếu kiện vượt cấp",
	 SC_HALL},
	{"Dân vận khéo trong giải phóng mặt bằng",
	 "dự án {đường vành đai|cụm công nghiệp|mở rộng quốc lộ} đi qua địa bàn, ảnh hưởng đến {#60-300} hộ dân",
	 "phương án bồi thường được công khai; chính quyền tổ chức {#5-20} buổi đối thoại, cán bộ đến từng hộ lắng nghe, giải thích chính sách và giải quyết ngay những vướng mắc thuộc thẩm quyền",
	 "{#95-100}% số hộ đồng thuận, bàn giao mặt bằng đúng tiến độ, không có đơn thư vượt cấp",
	 SC_HALL},
	{"Gia đình 5 không, 3 sạch",
	 "một số hộ còn khó khăn, vệ sinh môi trường trong khu dân cư chưa bảo đảm",
	 "Hội Liên hiệp Phụ nữ vận động hội viên thực hiện “5 không, 3 sạch”, giúp nhau vốn, ngày công và kinh nghiệm làm ăn",
	 "{#70-95}% số hộ đạt tiêu chí “5 không, 3 sạch”; nhiều hộ thoát nghèo bền vững",
	 SC_HOUSE},
	{"Tổ công nghệ số cộng đồng",
	 "nhiều người cao tuổi còn lúng túng khi làm thủ tục hành chính trực tuyến",
	 "đoàn viên thanh niên đến từng nhà hướng dẫn cài đặt, sử dụng ứng dụng định danh điện tử, dịch vụ công trực tuyến và thanh toán không dùng tiền mặt",
	 "{%1200-6000} lượt người dân được hướng dẫn; tỷ lệ hồ sơ nộp trực tuyến tăng rõ rệt",
	 SC_CLASS},
	{"Liên kết sản xuất, tiêu thụ nông sản",
	 "sản xuất còn manh mún, giá nông sản bấp bênh, “được mùa mất giá”",
	 "Hội Nông dân vận động hội viên dồn điền, đổi thửa, sản xuất theo quy trình an toàn và liên kết với doanh nghiệp bao tiêu sản phẩm",
	 "thu nhập của các hộ tham gia tăng {#20-40}% so với trước; {#3-8} sản phẩm đạt chuẩn OCOP",
	 SC_FIELD},
	{"Khu dân cư không có người vi phạm pháp luật",
	 "tệ nạn xã hội, vi phạm pháp luật còn tiềm ẩn, nhất là trong thanh thiếu niên",
	 "các đoàn thể phân công hội viên theo dõi, giúp đỡ từng trường hợp có nguy cơ vi phạm; tổ liên gia tự quản họp định kỳ hằng tháng",
	 "{#2-5} năm liền không có người vi phạm pháp luật, không có tệ nạn xã hội",
	 SC_VILLAGE},
	{"Nhóm Zalo khu dân cư tự quản",
	 "thông tin từ chính quyền đến người dân còn chậm, phản ánh của bà con nhiều khi không đến được nơi giải quyết",
	 "mỗi thôn lập một nhóm Zalo do trưởng thôn quản trị, đăng lịch tiếp công dân, hướng dẫn thủ tục và tiếp nhận phản ánh của người dân",
	 "nhiều phản ánh được tiếp nhận và giải quyết ngay trong ngày; người dân tin tưởng, đồng tình",
	 SC_CLASS},
};

/* ==== the articles ========================================================= */

typedef struct FigureTpl {
	Scene scene;
	const char *caption, *alt;
} FigureTpl;

/* What a template needs of the place. */
enum {
	NEED_NONE = 0,
	NEED_PAGODA = 1,
	NEED_PARISH = 2,
	NEED_ETHNIC = 4,
	NEED_CENTRAL = 8,   /* written by the central commission */
	NEED_MERGED = 16,   /* only after 2025-07-01 */
};

/* When a story can happen (any of the bits; S_ANY: any day). */
enum {
	S_ANY = 0,
	S_HALFYEAR = 1 << 0,    /* 10/6–20/7: six-month reviews */
	S_YEAREND = 1 << 1,     /* 10/12–25/1: year-end reviews */
	S_QUARTER = 1 << 2,     /* the first 25 days of a quarter */
	S_DANVAN = 1 << 3,      /* 1–15/10, before the 15/10 anniversary */
	S_DDK = 1 << 4,         /* 1–18/11, before the Front's day */
	S_XMAS = 1 << 5,        /* 15–25/12 */
	S_VESAK = 1 << 6,       /* the ten days before Buddha's birthday */
	S_TET = 1 << 7,         /* a month before to twelve days after Tết */
	S_BEFORE_TET = 1 << 8,  /* the weeks just before Tết */
	S_SUMMER = 1 << 9,      /* 10/6–20/8: summer retreats */
	S_AUTUMN = 1 << 10,     /* 1/9–20/12: the year's commendations and awards */
	S_YEARSTART = 1 << 11,  /* 5/1–31/3: the year's plans */
};

typedef struct Tpl {
	const char *category;
	unsigned season;
	int need;
	int weight;
	const char *key;   /* a story told once per key (e.g. province and year); NULL: the title */
	const char *title, *lead, *body, *tags;
	FigureTpl figs[3];
} Tpl;

static const Tpl templates[] = {
/* ---- conferences and events ----------------------------------------------- */
{"hoi-nghi", S_HALFYEAR | S_YEAREND, NEED_NONE, 6, "{$tinh} {$ky}",
 "{$ban} {$kyhn} công tác dân vận {$ky}",
 "{^buoi} {$dm}, {$ban} tổ chức Hội nghị {$kyhn} công tác dân vận {$ky}, triển khai nhiệm vụ {$kytoi}. Đồng chí {$bt}, {$btcv} dự và chỉ đạo Hội nghị.",
 "Dự Hội nghị có đồng chí {$tb}, {$tbcv}; lãnh đạo Ủy ban MTTQ Việt Nam và các tổ chức chính trị - xã hội {$cap}; {$dvcs}.\n\n"
 "[[hinh:1]]\n\n"
 "Theo báo cáo tại Hội nghị, {$ky}, công tác dân vận trên địa bàn {$tinhfull} {tiếp tục có chuyển biến tích cực|đạt nhiều kết quả quan trọng|có nhiều đổi mới, sát cơ sở hơn}. Cấp ủy các cấp đã ban hành {#40-160} văn bản lãnh đạo, chỉ đạo về công tác dân vận; người đứng đầu cấp ủy, chính quyền tổ chức {#60-240} cuộc tiếp xúc, đối thoại trực tiếp với nhân dân, tiếp nhận {%300-1500} ý kiến, kiến nghị, đến nay đã giải quyết {#72-95}%.\n\n"
 "Phong trào thi đua “Dân vận khéo” tiếp tục lan tỏa với {%2200-3200} mô hình, điển hình được đăng ký, trong đó {%900-2000} mô hình được công nhận. MTTQ và các đoàn thể {đã chủ động đổi mới nội dung, phương thức hoạt động, hướng mạnh về cơ sở|tích cực vận động đoàn viên, hội viên tham gia các phong trào thi đua yêu nước}; vận động nhân dân {hiến {%2000-15000} m² đất, đóng góp {#3-40} tỷ đồng|đóng góp trên {#5-60} tỷ đồng và {%1500-9000} ngày công} để làm đường giao thông nông thôn, xây dựng nhà văn hóa và hỗ trợ xây mới, sửa chữa {#40-260} nhà Đại đoàn kết cho hộ nghèo.\n\n"
 "Bên cạnh kết quả đạt được, Hội nghị cũng chỉ ra một số hạn chế: {việc nắm tình hình nhân dân ở một số nơi chưa kịp thời|công tác dân vận chính quyền ở một số địa phương chưa được quan tâm đúng mức}; {một số mô hình “Dân vận khéo” chưa được duy trì, nhân rộng|việc thực hiện dân chủ ở cơ sở có nơi còn hình thức}; {giải quyết kiến nghị của người dân có việc còn chậm|sự phối hợp giữa các cơ quan có lúc chưa chặt chẽ}.\n\n"
 "[[hinh:2]]\n\n"
 "Phát biểu chỉ đạo, đồng chí {$bt} {ghi nhận, biểu dương|đánh giá cao} những kết quả mà hệ thống dân vận các cấp đạt được. Đồng chí đề nghị trong {$kytoi}, các cấp ủy, tổ chức đảng tiếp tục quán triệt, thực hiện nghiêm các chủ trương của Đảng về công tác dân vận; {chủ động nắm chắc tình hình nhân dân, nhất là ở những địa bàn có dự án, giải phóng mặt bằng|tăng cường tiếp xúc, đối thoại trực tiếp giữa người đứng đầu với nhân dân}; kịp thời tham mưu giải quyết những kiến nghị chính đáng, hợp pháp của người dân; nâng cao chất lượng phong trào thi đua “Dân vận khéo”, gắn với nhiệm vụ chính trị của từng địa phương, đơn vị.\n\n"
 "[[hinh:3]]\n\n"
 "Dịp này, {$ban} tặng Giấy khen cho {#5-20} tập thể và {#8-30} cá nhân có thành tích xuất sắc trong công tác dân vận.",
 "Sơ kết, tổng kết, Công tác dân vận, {$tinh}",
 {{SC_HALL, "Quang cảnh Hội nghị", "Quang cảnh hội nghị {$kyhn} công tác dân vận {$ky} của {$ban}"},
  {SC_SPEAKER, "Đồng chí {$bt}, {$btcv} phát biểu chỉ đạo Hội nghị", "Đồng chí {$bt} phát biểu tại bục, phía sau là phông hội nghị"},
  {SC_GIFT, "Trao Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc", "Đại diện các tập thể, cá nhân đứng trên sân khấu nhận Giấy khen"}}},

{"hoi-nghi", S_QUARTER, NEED_NONE, 5, "{$tinh} {$q}",
 "Giao ban công tác dân vận quý {$q} {khối dân vận {$cap} {$tinh}|giữa {$ban} với MTTQ và các đoàn thể}",
 "{^buoi} {$dm}, {$ban} chủ trì giao ban công tác dân vận quý {$q} với Ủy ban MTTQ Việt Nam và các tổ chức chính trị - xã hội {$cap}, đánh giá kết quả phối hợp và thống nhất nhiệm vụ trong thời gian tới.",
 "Trong quý, các cơ quan trong khối dân vận đã phối hợp tuyên truyền các chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tổ chức {#12-40} cuộc giám sát theo kế hoạch; tiếp nhận {#40-200} đơn, thư của công dân và chuyển đến cơ quan có thẩm quyền giải quyết. {Công tác nắm tình hình nhân dân được duy trì thường xuyên, không để xảy ra điểm nóng|Các hoạt động an sinh xã hội được triển khai kịp thời, đúng đối tượng}.\n\n"
 "[[hinh:1]]\n\n"
 "Các đại biểu tập trung thảo luận những vướng mắc trong {giải quyết kiến nghị của cử tri và nhân dân|công tác giải phóng mặt bằng các dự án trọng điểm|thực hiện dân chủ ở cơ sở}, đồng thời đề xuất nhiều giải pháp nâng cao hiệu quả phối hợp.\n\n"
 "Kết luận buổi giao ban, đồng chí {$tb}, {$tbcv} đề nghị các cơ quan trong khối tập trung:\n\n"
 "- nắm chắc tình hình tư tưởng, tâm trạng nhân dân, {nhất là ở các địa bàn có dự án trọng điểm|nhất là trước, trong và sau các kỳ nghỉ lễ dài ngày};\n"
 "- phối hợp giải quyết kịp thời những kiến nghị chính đáng của người dân, không để phát sinh điểm nóng;\n"
 "- tiếp tục đẩy mạnh phong trào thi đua “Dân vận khéo”, phát hiện những mô hình hay để biểu dương, nhân rộng;\n"
 "- {chuẩn bị tốt các hoạt động kỷ niệm Ngày truyền thống công tác dân vận của Đảng (15/10)|thực hiện đúng kế hoạch giám sát và phản biện xã hội năm {$nam}}.",
 "Giao ban, Khối dân vận, {$tinh}",
 {{SC_HALL, "Quang cảnh buổi giao ban", "Các đại biểu dự buổi giao ban công tác dân vận quý {$q} tại hội trường"}}},

{"hoi-nghi", S_DANVAN, NEED_NONE, 8, "{$tinh} {$nam}",
 "{$tinh} kỷ niệm {$namdv} năm Ngày truyền thống công tác dân vận của Đảng",
 "{^buoi} {$dm}, {$uy} {$tinh} tổ chức Lễ kỷ niệm {$namdv} năm Ngày truyền thống công tác dân vận của Đảng (15/10/1930 – 15/10/{$nam}) và {$ndv} năm Ngày “Dân vận” cả nước, biểu dương các điển hình “Dân vận khéo”.",
 "[[hinh:1]]\n\n"
 "Ôn lại truyền thống của công tác dân vận, đồng chí {$tb}, {$tbcv} nhắc lại lời dạy của Chủ tịch Hồ Chí Minh trong bài báo “Dân vận” đăng ngày 15/10/1949:\n\n"
 "> Dân vận kém thì việc gì cũng kém. Dân vận khéo thì việc gì cũng thành công.\n\n"
 "Từ năm 1999, ngày 15/10 hằng năm được lấy làm Ngày “Dân vận” cả nước. Trong năm qua, các cấp ủy, chính quyền, MTTQ và các đoàn thể {$cap} đã {thực hiện có hiệu quả Quy chế công tác dân vận của hệ thống chính trị|đổi mới mạnh mẽ nội dung, phương thức công tác dân vận}; người đứng đầu cấp ủy, chính quyền các cấp tổ chức {#80-260} cuộc tiếp xúc, đối thoại trực tiếp với nhân dân. Toàn {$cap} có {%1500-3000} mô hình, điển hình “Dân vận khéo” được công nhận, góp phần quan trọng vào {xây dựng nông thôn mới, đô thị văn minh|phát triển kinh tế - xã hội và giữ vững an ninh, trật tự}.\n\n"
 "[[hinh:2]]\n\n"
 "Tại buổi lễ, {$uy} {$tinh} tặng Bằng khen cho {#10-40} tập thể và {#15-50} cá nhân là điển hình “Dân vận khéo”.\n\n"
 "[[hinh:3]]\n\n"
 "Đồng chí {$bt}, {$btcv} đề nghị các cấp ủy tiếp tục quan tâm lãnh đạo công tác dân vận, “trọng dân, gần dân, hiểu dân, học dân và có trách nhiệm với dân”.",
 "Ngày truyền thống, 15/10, Dân vận khéo, {$tinh}",
 {{SC_HALL, "Quang cảnh Lễ kỷ niệm", "Quang cảnh lễ kỷ niệm Ngày truyền thống công tác dân vận của Đảng tại hội trường {$uy} {$tinh}"},
  {SC_GIFT, "Trao Bằng khen cho các tập thể, cá nhân điển hình “Dân vận khéo”", "Các tập thể, cá nhân điển hình đứng trên sân khấu nhận Bằng khen và hoa"},
  {SC_SPEAKER, "Đồng chí {$bt}, {$btcv} phát biểu tại Lễ kỷ niệm", "Đồng chí {$bt} phát biểu tại bục"}}},

{"hoi-nghi", S_HALFYEAR | S_YEAREND, NEED_CENTRAL, 3, "dbsh {$ky}",
 "Giao ban công tác dân vận các tỉnh, thành phố khu vực đồng bằng sông Hồng {$ky}",
 "{^buoi} {$dm}, tại {$tinhfull}, {$bantw} tổ chức Hội nghị giao ban công tác dân vận {$ky} các tỉnh, thành phố khu vực đồng bằng sông Hồng. Đồng chí {$tw}, {$twcv} và đồng chí {$bt}, {$btcv} {$tinh} chủ trì Hội nghị.",
 "[[hinh:1]]\n\n"
 "Dự Hội nghị có đại diện lãnh đạo các vụ, đơn vị của {$bantw}; lãnh đạo {$ban} và lãnh đạo ban dân vận các tỉnh ủy, thành ủy trong khu vực.\n\n"
 "Báo cáo tại Hội nghị cho biết, {$ky}, công tác dân vận của các tỉnh, thành phố trong khu vực tiếp tục có chuyển biến. Việc người đứng đầu cấp ủy, chính quyền tiếp xúc, đối thoại trực tiếp với nhân dân được duy trì ở các cấp; {công tác dân vận của cơ quan nhà nước gắn với cải cách hành chính, giải quyết đơn thư của công dân|việc thực hiện dân chủ ở cơ sở ngày càng đi vào nền nếp}. MTTQ và các đoàn thể vận động nhân dân tham gia xây dựng nông thôn mới, đô thị văn minh, giảm nghèo bền vững.\n\n"
 "Các đại biểu đã trao đổi kinh nghiệm về {nắm tình hình nhân dân ở những địa bàn có dự án lớn|công tác dân vận trong giải phóng mặt bằng|công tác tôn giáo, dân tộc ở cơ sở}, đồng thời kiến nghị {$bantw} tiếp tục hướng dẫn nghiệp vụ, tổ chức trao đổi kinh nghiệm giữa các địa phương.\n\n"
 "[[hinh:2]]\n\n"
 "Kết luận Hội nghị, đồng chí {$tw} đề nghị hệ thống dân vận các tỉnh, thành phố trong khu vực tiếp tục nắm chắc tình hình nhân dân, tham mưu giải quyết kịp thời những kiến nghị chính đáng, hợp pháp; chú trọng các địa bàn có điểm nóng, điểm phức tạp về đất đai, tôn giáo; đẩy mạnh thực hiện dân chủ ở cơ sở và phong trào thi đua “Dân vận khéo”.",
 "Giao ban, Đồng bằng sông Hồng, Công tác dân vận",
 {{SC_HALL, "Quang cảnh Hội nghị", "Quang cảnh hội nghị giao ban công tác dân vận các tỉnh, thành phố khu vực đồng bằng sông Hồng"},
  {SC_SPEAKER, "Đồng chí {$tw}, {$twcv} phát biểu kết luận Hội nghị", "Đồng chí {$tw} phát biểu kết luận tại bục"}}},

{"hoi-nghi", S_ANY, NEED_NONE, 4, "{$tinh}",
 "{$uy} {$tinh} quán triệt Quy định số 11-QĐi/TW về tiếp dân, đối thoại trực tiếp với dân",
 "{^buoi} {$dm}, {$uy} {$tinh} tổ chức hội nghị trực tuyến đến {#20-130} điểm cầu, quán triệt Quy định số 11-QĐi/TW của Bộ Chính trị về trách nhiệm của người đứng đầu cấp ủy trong việc tiếp dân, đối thoại trực tiếp với dân và xử lý những phản ánh, kiến nghị của dân.",
 "Tại hội nghị, đồng chí {$tb}, {$tbcv} đã giới thiệu những nội dung cơ bản của Quy định: người đứng đầu cấp ủy phải trực tiếp tiếp dân định kỳ, không ủy quyền; đối thoại trực tiếp khi có những vấn đề phức tạp, kéo dài; phản ánh, kiến nghị của dân phải được xem xét, xử lý và trả lời đúng thời hạn.\n\n"
 "[[hinh:1]]\n\n"
 "Theo báo cáo, từ đầu năm đến nay, người đứng đầu cấp ủy các cấp trong {$cap} đã tiếp {#120-600} lượt công dân, tổ chức {#30-120} cuộc đối thoại; {#85-97}% kiến nghị sau tiếp dân, đối thoại đã được xem xét, giải quyết. {Tuy vậy, vẫn còn nơi tổ chức tiếp dân mang tính hình thức, việc theo dõi kết quả giải quyết chưa chặt chẽ.|Một số vụ việc phức tạp, kéo dài đã được giải quyết dứt điểm sau đối thoại.}\n\n"
 "Đồng chí {$bt}, {$btcv} yêu cầu các cấp ủy xây dựng lịch tiếp dân cụ thể, công khai; mỗi cuộc tiếp dân, đối thoại phải có kết luận, phân công rõ người, rõ việc, rõ thời hạn và theo dõi đến khi giải quyết xong.",
 "Tiếp công dân, Đối thoại, Quy định 11-QĐi/TW, {$tinh}",
 {{SC_HALL, "Quang cảnh hội nghị tại điểm cầu {$uy} {$tinh}", "Quang cảnh hội nghị quán triệt tại điểm cầu chính"}}},

{"hoi-nghi", S_YEARSTART, NEED_NONE, 3, "{$tinh} {$nam}",
 "Triển khai Quy chế công tác dân vận của hệ thống chính trị {$cap} {$tinh}",
 "{^buoi} {$dm}, {$ban} tổ chức hội nghị triển khai kế hoạch thực hiện Quy chế công tác dân vận của hệ thống chính trị (ban hành kèm theo Quyết định số 23-QĐ/TW của Bộ Chính trị) năm {$nam}.",
 "[[hinh:1]]\n\n"
 "Hội nghị đã nghe phổ biến trách nhiệm công tác dân vận của từng tổ chức trong hệ thống chính trị: cấp ủy lãnh đạo; chính quyền thực hiện công tác dân vận qua hoạt động quản lý, điều hành; MTTQ và các đoàn thể là nòng cốt tập hợp, vận động nhân dân; cán bộ, đảng viên, công chức gương mẫu, “nói đi đôi với làm”.\n\n"
 "## Những việc làm ngay\n\n"
 "Kế hoạch năm {$nam} của {$cap} đặt ra {#5-9} nhóm nhiệm vụ, trong đó có:\n\n"
 "- rà soát, bổ sung quy chế làm việc của cấp ủy, chính quyền các cấp về công tác dân vận;\n"
 "- mỗi cơ quan nhà nước đăng ký ít nhất một mô hình “Dân vận khéo” gắn với cải cách hành chính;\n"
 "- công khai lịch tiếp công dân của người đứng đầu và kết quả giải quyết kiến nghị;\n"
 "- {kiểm tra, giám sát việc thực hiện Quy chế ở {#4-10} địa phương, đơn vị|sơ kết việc thực hiện Quy chế vào cuối năm}.\n\n"
 "Đồng chí {$tb}, {$tbcv} đề nghị các địa phương, đơn vị xây dựng kế hoạch cụ thể, tránh hình thức, gắn trách nhiệm người đứng đầu với kết quả công tác dân vận.",
 "Quy chế công tác dân vận, Quyết định 23-QĐ/TW, {$tinh}",
 {{SC_HALL, "Quang cảnh hội nghị", "Các đại biểu dự hội nghị triển khai Quy chế công tác dân vận"}}},

{"hoi-nghi", S_ANY, NEED_NONE, 5, "{$tinh} {$nam}",
 "Bí thư {$uy} {$tinh} đối thoại với {$doituong}",
 "{^buoi} {$dm}, {$uy} {$tinh} tổ chức hội nghị đối thoại giữa đồng chí {$bthu}, Bí thư {$uy} với {$doituong} trên địa bàn. Hơn {200|300|400|500} đại biểu dự tại điểm cầu chính và các điểm cầu cấp xã.",
 "[[hinh:1]]\n\n"
 "Mở đầu hội nghị, đồng chí {$bthu} khẳng định đối thoại trực tiếp là dịp để người đứng đầu cấp ủy lắng nghe tâm tư, nguyện vọng, những khó khăn, vướng mắc của {$doituong}, từ đó có giải pháp tháo gỡ kịp thời.\n\n"
 "Các ý kiến tại hội nghị tập trung vào {$doituongy}. {^ong1} {$dan1} ({$xadp}) đề nghị: “{Mong lãnh đạo {$cap} quan tâm hơn nữa để bà con yên tâm sản xuất.|Chúng tôi cần được hướng dẫn cụ thể và có đầu mối để phản ánh khi gặp vướng mắc.}”\n\n"
 "[[hinh:2]]\n\n"
 "Lãnh đạo các sở, ngành đã trả lời trực tiếp {#10-25} ý kiến. Kết luận hội nghị, đồng chí {$bthu} giao các cơ quan liên quan giải quyết dứt điểm các kiến nghị thuộc thẩm quyền trong {30|45} ngày và báo cáo kết quả với Ban Thường vụ {$uy}; những nội dung vượt thẩm quyền được tổng hợp, kiến nghị với cấp trên.",
 "Đối thoại, Người đứng đầu, {$tinh}",
 {{SC_HALL, "Quang cảnh hội nghị đối thoại", "Quang cảnh hội nghị đối thoại tại hội trường {$uy} {$tinh}"},
  {SC_SPEAKER, "Đồng chí {$bthu}, Bí thư {$uy} {$tinh} phát biểu kết luận hội nghị", "Đồng chí {$bthu} phát biểu kết luận tại bục"}}},

{"hoi-nghi", S_ANY, NEED_NONE, 4, "{$tinh} {$nam}",
 "Nâng cao hiệu quả công tác dân vận chính quyền {ở {$tinhfull}|trong cơ quan nhà nước {$cap} {$tinh}}",
 "{^buoi} {$dm}, {$ban} phối hợp với Ban cán sự đảng UBND {$cap} tổ chức hội nghị chuyên đề về công tác dân vận của cơ quan nhà nước, chính quyền các cấp.",
 "Theo báo cáo, {$ky}, các cơ quan hành chính nhà nước trong {$cap} đã {đơn giản hóa {#20-80} thủ tục hành chính|đưa {#85-98}% thủ tục hành chính lên môi trường điện tử}; tỷ lệ hồ sơ giải quyết đúng hạn đạt {#92-99}%. Công tác tiếp công dân, giải quyết khiếu nại, tố cáo có chuyển biến; số đơn thư vượt cấp giảm so với cùng kỳ.\n\n"
 "[[hinh:1]]\n\n"
 "Tuy vậy, {ở một số nơi, cán bộ, công chức còn có biểu hiện gây phiền hà cho người dân|việc công khai, minh bạch trong quản lý đất đai, đầu tư công ở một số địa phương chưa đầy đủ}. Các đại biểu đề xuất gắn công tác dân vận chính quyền với đánh giá, xếp loại cán bộ, công chức hằng năm.\n\n"
 "Đồng chí {$tb}, {$tbcv} đề nghị mỗi cơ quan nhà nước đăng ký ít nhất một mô hình “Dân vận khéo” gắn với cải cách hành chính, lấy sự hài lòng của người dân làm thước đo.",
 "Dân vận chính quyền, Cải cách hành chính, {$tinh}",
 {{SC_HALL, "Quang cảnh hội nghị chuyên đề", "Đại biểu các sở, ngành dự hội nghị chuyên đề"}}},

{"hoi-nghi", S_ANY, NEED_CENTRAL, 3, "{$tinh} {$nam}",
 "Đoàn công tác {$bantw} làm việc với {$ban}",
 "{^buoi} {$dm}, đoàn công tác {$bantw} do đồng chí {$tw}, {$twcv} làm trưởng đoàn đã làm việc với {$ban} về kết quả thực hiện công tác dân vận {$ky}.",
 "[[hinh:1]]\n\n"
 "Báo cáo với đoàn, đồng chí {$tb}, {$tbcv} cho biết {$ban} đã tham mưu {$uy} ban hành nhiều văn bản lãnh đạo, chỉ đạo công tác dân vận; việc tiếp xúc, đối thoại giữa người đứng đầu cấp ủy, chính quyền với nhân dân được duy trì; phong trào thi đua “Dân vận khéo” có {%1200-3000} mô hình được công nhận.\n\n"
 "{$ban} kiến nghị {$bantw} tiếp tục hướng dẫn nghiệp vụ công tác dân vận {sau sắp xếp tổ chức bộ máy|trong vùng đồng bào có đạo}, tổ chức trao đổi kinh nghiệm giữa các địa phương.\n\n"
 "Phát biểu tại buổi làm việc, đồng chí {$tw} ghi nhận kết quả của {$tinh}; đề nghị {$ban} tiếp tục nắm chắc tình hình nhân dân, chủ động tham mưu giải quyết những vấn đề phát sinh ngay từ cơ sở, không để hình thành điểm nóng.",
 "Công tác dân vận, Đoàn công tác, {$tinh}",
 {{SC_HALL, "Quang cảnh buổi làm việc", "Đoàn công tác và lãnh đạo địa phương tại buổi làm việc"}}},

/* ---- Dân vận khéo --------------------------------------------------------- */
{"dan-van-kheo", S_ANY, NEED_NONE, 10, NULL,
 "{Mô hình “{$mh}” ở {$xa}|Hiệu quả từ mô hình “{$mh}” ở {$xa}|{^xa} nhân rộng mô hình “{$mh}”}",
 "Thực hiện phong trào thi đua “Dân vận khéo”, {$coso} đã chỉ đạo xây dựng mô hình “{$mh}”. Sau {#2-4} năm triển khai, mô hình {đã mang lại hiệu quả thiết thực|tạo sức lan tỏa rộng trong nhân dân|được nhiều địa phương đến học tập}.",
 "Trước đây, ở {$xadp}, {$mhvande}. {Nhiều lần họp thôn bàn bạc nhưng chưa tìm được cách làm phù hợp.|Bà con mong muốn nhưng chưa biết bắt đầu từ đâu.}\n\n"
 "[[hinh:1]]\n\n"
 "## Cách làm\n\n"
 "Từ khi mô hình được triển khai, {$mhcach}. Cấp ủy chọn {$thon} làm điểm, sau đó nhân rộng ra {#3-12} thôn khác.\n\n"
 "“{Cái khó nhất là làm cho bà con hiểu và tự nguyện tham gia. Khi cán bộ, đảng viên làm trước, người dân thấy lợi ích thiết thực thì sẽ làm theo.|Dân có hiểu thì dân mới làm. Chúng tôi đến từng nhà, nói chuyện với từng người, không nóng vội.|Việc của dân thì phải để dân bàn, dân làm; cán bộ chỉ đi trước một bước.}” – {$ong1} {$dan1}, {Bí thư Chi bộ {$thon}|Trưởng {$thon}|Chủ tịch Ủy ban MTTQ {$xa}} chia sẻ.\n\n"
 "[[hinh:2]]\n\n"
 "Đến nay, {$mhketqua}. {Mô hình đã được {$ban} công nhận là mô hình “Dân vận khéo” tiêu biểu năm {$nam}.|Mô hình được {$coso} đánh giá cao và chỉ đạo nhân rộng trong thời gian tới.}",
 "Dân vận khéo, Mô hình, {$tinh}",
 {{SC_VILLAGE, "{Một góc {$thon}, {$xa}|{^thon}, {$xa} hôm nay}", "Đường làng {$thon} sạch đẹp, hai bên có nhà và cây xanh"},
  {SC_HALL, "Chi bộ {$thon} họp bàn triển khai mô hình “{$mh}”", "Đảng viên và bà con ngồi họp tại nhà văn hóa thôn"}}},

{"dan-van-kheo", S_AUTUMN, NEED_NONE, 5, "{$tinh} {$nam}",
 "{$tinh} biểu dương {#40-120} điển hình “Dân vận khéo” năm {$nam}",
 "{^buoi} {$dm}, {$ban} tổ chức Hội nghị biểu dương các mô hình, điển hình “Dân vận khéo” tiêu biểu năm {$nam}.",
 "[[hinh:1]]\n\n"
 "Năm {$nam}, phong trào thi đua “Dân vận khéo” trên địa bàn {$tinhfull} tiếp tục được triển khai sâu rộng ở các cấp, các ngành. Toàn {$cap} có {%1800-3500} mô hình, điển hình được đăng ký, trong đó:\n\n"
 "- lĩnh vực kinh tế: {%500-1200} mô hình;\n"
 "- lĩnh vực văn hóa - xã hội: {%400-900} mô hình;\n"
 "- lĩnh vực quốc phòng, an ninh: {%150-400} mô hình;\n"
 "- lĩnh vực xây dựng hệ thống chính trị: {%200-500} mô hình.\n\n"
 "Nhiều mô hình có sức lan tỏa như “{$mh}” ở {$xa}, {“Dân vận khéo trong giải phóng mặt bằng”|“Thắp sáng đường quê”|“Camera an ninh”} {ở nhiều địa phương trong {$cap}|ở các xã vùng ven}.\n\n"
 "[[hinh:2]]\n\n"
 "Phát biểu tại hội nghị, đồng chí {$tb}, {$tbcv} đề nghị các cấp ủy tiếp tục quan tâm phát hiện, bồi dưỡng, nhân rộng điển hình; tránh chạy theo số lượng; mỗi mô hình phải giải quyết được một việc cụ thể mà người dân quan tâm. Dịp này, {#40-120} tập thể, cá nhân được khen thưởng.",
 "Dân vận khéo, Biểu dương, {$tinh}",
 {{SC_HALL, "Quang cảnh Hội nghị biểu dương", "Quang cảnh hội nghị biểu dương điển hình Dân vận khéo"},
  {SC_GIFT, "Khen thưởng các tập thể, cá nhân điển hình “Dân vận khéo”", "Các điển hình Dân vận khéo nhận khen thưởng trên sân khấu"}}},

{"dan-van-kheo", S_AUTUMN, NEED_NONE, 3, "{$tinh} {$nam}",
 "Trao giải cuộc thi báo chí viết về gương “Dân vận khéo” năm {$nam}",
 "{^buoi} {$dm}, {$ban} tổ chức trao giải cuộc thi báo chí viết về gương “Dân vận khéo” năm {$nam}.",
 "Sau {#4-7} tháng phát động, Ban Tổ chức nhận được {#80-260} tác phẩm báo in, báo điện tử, phát thanh và truyền hình của các phóng viên, cộng tác viên trong và ngoài {$cap}. Các tác phẩm đã phản ánh sinh động những cách làm hay, những tấm gương bình dị mà tiêu biểu trong công tác dân vận ở cơ sở.\n\n"
 "[[hinh:1]]\n\n"
 "Ban Giám khảo đã chọn {#1-2} giải A, {#2-4} giải B, {#3-6} giải C và {#5-10} giải khuyến khích. {Giải A được trao cho loạt bài viết về cách làm đường giao thông nông thôn không cần bồi thường ở {$xa}.|Giải A được trao cho phóng sự về người trưởng thôn vận động bà con hiến đất mở đường ở {$xa}.}\n\n"
 "Phát biểu tại lễ trao giải, đồng chí {$pb}, {$pbcv} cho biết cuộc thi được tổ chức hằng năm nhằm lan tỏa phong trào thi đua “Dân vận khéo”, đồng thời mong muốn đội ngũ những người làm báo tiếp tục phát hiện, cổ vũ những nhân tố mới ở cơ sở.",
 "Cuộc thi báo chí, Dân vận khéo, {$tinh}",
 {{SC_GIFT, "Ban Tổ chức trao giải cho các tác giả đoạt giải", "Các tác giả đoạt giải đứng trên sân khấu nhận giải thưởng"}}},

{"dan-van-kheo", S_ANY, NEED_NONE, 5, NULL,
 "{^ong1} {$dan1}: {người “dân vận khéo” ở {$thon}|“gom” lòng dân ở {$thon}|người trưởng thôn được dân tin}",
 "Hơn {#10-25} năm làm công tác ở thôn, {$ong1} {$dan1} ({$thon}, {$xadp}) đã vận động bà con làm được nhiều việc lớn: {mở đường, xây nhà văn hóa, hòa giải những mâu thuẫn tưởng như không thể gỡ|hiến đất, góp công làm đường và giữ gìn an ninh, trật tự xóm làng}.",
 "Nhắc đến {$ong1} {$dan1}, người dân {$thon} ai cũng quý mến. {Năm {$namtruoc}|Mấy năm trước}, khi thôn triển khai làm đường trục chính, {$ong1} là người đầu tiên hiến {#80-300} m² đất vườn, tự tháo dỡ tường rào của gia đình.\n\n"
 "[[hinh:1]]\n\n"
 "“{Mình làm trước thì mới nói được người khác. Cán bộ mà chỉ nói thì dân không nghe.|Có việc gì tôi cũng họp dân, nói rõ cái lợi, cái khó; bà con đồng ý rồi mới làm.|Đi từng ngõ, gõ từng nhà, nghe dân nói nhiều hơn mình nói – đó là cách tôi làm dân vận.}” – {$ong1} {$dan1} chia sẻ.\n\n"
 "Nhờ cách làm ấy, {$thon} đã {mở rộng {#2-5} km đường|xây mới nhà văn hóa|hòa giải thành {#10-30} vụ việc} mà không có đơn thư, khiếu kiện. {^ong1} được {$ban} biểu dương là điển hình “Dân vận khéo” năm {$nam}.",
 "Dân vận khéo, Điển hình, Người tốt việc tốt, {$tinh}",
 {{SC_VILLAGE, "{^ong1} {$dan1} (giữa) trò chuyện với người dân {$thon}", "Một người đứng giữa đường làng trò chuyện với bà con"}}},

{"dan-van-kheo", S_ANY, NEED_NONE, 3, "{$tinh} {$nam}",
 "Sôi nổi Hội thi tìm hiểu công tác dân vận và phong trào “Dân vận khéo” {$cap} {$tinh}",
 "{^buoi} {$dm}, {$ban} tổ chức chung khảo Hội thi tìm hiểu công tác dân vận và phong trào thi đua “Dân vận khéo” năm {$nam} với sự tham gia của {#10-24} đội thi.",
 "Các đội thi đã trải qua ba phần thi: chào hỏi, kiến thức và tiểu phẩm. Nội dung xoay quanh Quy chế công tác dân vận của hệ thống chính trị, Luật Thực hiện dân chủ ở cơ sở và những mô hình “Dân vận khéo” tại địa phương.\n\n"
 "[[hinh:1]]\n\n"
 "Nhiều tiểu phẩm {tái hiện sinh động cách vận động nhân dân hiến đất mở đường|dí dỏm, gần gũi về hòa giải mâu thuẫn trong khu dân cư|về cán bộ “trọng dân, gần dân” khi giải quyết thủ tục hành chính} được khán giả cổ vũ nhiệt tình.\n\n"
 "Kết quả, Ban Tổ chức trao giải Nhất cho đội {$xa}; {#2-3} giải Nhì, {#3-4} giải Ba và các giải phụ cho các đội thi.",
 "Hội thi, Dân vận khéo, {$tinh}",
 {{SC_GIFT, "Ban Tổ chức trao giải cho các đội thi", "Các đội thi đứng trên sân khấu nhận giải"}}},

/* ---- grassroots democracy -------------------------------------------------- */
{"dan-chu-co-so", S_ANY, NEED_NONE, 8, "{$xa} {$nam}",
 "Chủ tịch UBND {$xa} đối thoại với nhân dân về {$chude}",
 "{^buoi} {$dm}, UBND {$xa} phối hợp với Ủy ban MTTQ cùng cấp tổ chức hội nghị đối thoại giữa Chủ tịch UBND với nhân dân về {$chude}. Hơn {100|150|200} đại biểu và người dân đã tham dự.",
 "Theo Luật Thực hiện dân chủ ở cơ sở, hằng năm UBND cấp xã phối hợp với Ủy ban MTTQ cùng cấp tổ chức hội nghị đối thoại với nhân dân về những vấn đề người dân quan tâm. {Hội nghị năm nay được tổ chức tại hội trường UBND và truyền thanh trực tiếp đến các thôn.|Trước hội nghị, các thôn đã tổng hợp ý kiến của bà con gửi lên.}\n\n"
 "[[hinh:1]]\n\n"
 "Tại hội nghị, {#8-25} ý kiến của người dân đã được nêu, tập trung vào:\n\n"
 "- {$chude1};\n"
 "- {$chude2};\n"
 "- {thời gian giải quyết hồ sơ ở bộ phận một cửa|việc công khai các khoản đóng góp của nhân dân|tiến độ cấp giấy chứng nhận quyền sử dụng đất}.\n\n"
 "{^ong1} {$dan1} ({$thon}) {bày tỏ|nêu}: “{Chúng tôi mong chính quyền công khai rõ ràng để bà con cùng giám sát.|Kiến nghị từ năm trước đến nay vẫn chưa có trả lời bằng văn bản.|Người dân ủng hộ chủ trương, chỉ mong được bàn bạc kỹ trước khi làm.}”\n\n"
 "[[hinh:2]]\n\n"
 "Đồng chí {$ct}, {$ctcv} đã trả lời trực tiếp các ý kiến thuộc thẩm quyền; với {#2-6} ý kiến chưa đủ cơ sở, UBND giao bộ phận chuyên môn xác minh và trả lời bằng văn bản trong {15|30} ngày. Kết quả giải quyết sẽ được thông báo công khai tại các nhà văn hóa thôn.",
 "Dân chủ ở cơ sở, Đối thoại, {$tinh}",
 {{SC_HALL, "Quang cảnh hội nghị đối thoại", "Người dân dự hội nghị đối thoại tại hội trường UBND"},
  {SC_SPEAKER, "Đồng chí {$ct}, {$ctcv} trả lời ý kiến của người dân", "Chủ tịch UBND đứng tại bục trả lời ý kiến"}}},

{"dan-chu-co-so", S_ANY, NEED_NONE, 6, NULL,
 "{^xa} lấy ý kiến nhân dân về {$duthao}",
 "Thực hiện Luật Thực hiện dân chủ ở cơ sở, UBND {$xa} tổ chức lấy ý kiến nhân dân về {$duthao} trong {#20-30} ngày, bằng nhiều hình thức.",
 "Dự thảo được niêm yết công khai tại trụ sở UBND và nhà văn hóa các thôn, đăng trên trang thông tin điện tử của {$xa}; người dân có thể góp ý trực tiếp tại các hội nghị thôn, qua hòm thư góp ý hoặc phiếu lấy ý kiến.\n\n"
 "[[hinh:1]]\n\n"
 "Sau thời gian lấy ý kiến, UBND {$xa} nhận được {#60-400} lượt ý kiến. {Nhiều ý kiến đề nghị làm rõ vị trí, diện tích và thời gian thực hiện.|Phần lớn ý kiến đồng tình, một số ý kiến đề nghị điều chỉnh cho phù hợp với thực tế.|Bà con đặc biệt quan tâm đến quyền lợi của các hộ bị ảnh hưởng.}\n\n"
 "Theo đồng chí {$ct}, {$ctcv}, toàn bộ ý kiến đã được tổng hợp, tiếp thu, giải trình và công bố công khai trước khi trình cấp có thẩm quyền quyết định. “Dân biết, dân bàn thì dân mới đồng thuận thực hiện”, đồng chí nói.",
 "Dân chủ ở cơ sở, Lấy ý kiến nhân dân, {$tinh}",
 {{SC_HALL, "Người dân {$thon} góp ý {$duthao}", "Bà con ngồi họp tại nhà văn hóa thôn, góp ý dự thảo"}}},

{"dan-chu-co-so", S_ANY, NEED_NONE, 4, "{$xa}",
 "Ban Thanh tra nhân dân {$xa}: “tai mắt” của dân",
 "Với {#5-9} thành viên, Ban Thanh tra nhân dân {$xa} đã thực hiện tốt vai trò giám sát việc thực hiện chính sách, pháp luật và dân chủ ở cơ sở, được người dân tin tưởng.",
 "Năm {$nam}, Ban Thanh tra nhân dân {$xa} đã tiến hành {#4-12} cuộc giám sát, tập trung vào {việc thu, chi các khoản đóng góp của nhân dân|việc bình xét hộ nghèo, hộ cận nghèo|chất lượng các công trình xây dựng trên địa bàn|việc giải quyết thủ tục hành chính}.\n\n"
 "[[hinh:1]]\n\n"
 "Qua giám sát, Ban đã kiến nghị UBND xã {chấn chỉnh việc niêm yết công khai thủ tục hành chính|điều chỉnh danh sách hộ cận nghèo cho đúng đối tượng|yêu cầu đơn vị thi công khắc phục {#2-6} hạng mục chưa bảo đảm chất lượng}; các kiến nghị đều được tiếp thu, giải quyết.\n\n"
 "{^ong1} {$dan1}, Trưởng Ban Thanh tra nhân dân {$xa} cho biết: “Giám sát không phải để bắt lỗi mà để việc chung được làm đúng, làm tốt; có gì chưa rõ thì hỏi, có gì sai thì kiến nghị sửa.”",
 "Dân chủ ở cơ sở, Thanh tra nhân dân, Giám sát, {$tinh}",
 {{SC_HALL, "Ban Thanh tra nhân dân {$xa} họp triển khai kế hoạch giám sát", "Các thành viên Ban Thanh tra nhân dân ngồi họp"}}},

{"dan-chu-co-so", S_ANY, NEED_NONE, 4, NULL,
 "Kiểm tra việc thực hiện dân chủ ở cơ sở tại {$dp}",
 "{^buoi} {$dm}, đoàn công tác Ban Chỉ đạo thực hiện dân chủ ở cơ sở {$cap} do đồng chí {$pb}, {$pbcv} làm trưởng đoàn đã kiểm tra việc thực hiện dân chủ ở cơ sở tại {$dp}.",
 "Báo cáo với đoàn, lãnh đạo {$dp} cho biết, {$coso} đã ban hành kế hoạch thực hiện Luật Thực hiện dân chủ ở cơ sở; các nội dung phải công khai được niêm yết đầy đủ; {#5-15} hội nghị lấy ý kiến nhân dân đã được tổ chức. {Các thôn đều đã sửa đổi, bổ sung hương ước, quy ước.|Việc đối thoại với nhân dân được duy trì định kỳ.}\n\n"
 "[[hinh:1]]\n\n"
 "Đoàn kiểm tra cũng chỉ ra một số tồn tại: {việc công khai ở một số thôn chưa kịp thời|sổ theo dõi ý kiến của nhân dân chưa được cập nhật đầy đủ|hoạt động của Ban Giám sát đầu tư của cộng đồng còn hạn chế}.\n\n"
 "Kết luận buổi kiểm tra, đồng chí {$pb} đề nghị {$dp} khắc phục ngay những hạn chế, thực hiện thực chất phương châm “dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng”.",
 "Dân chủ ở cơ sở, Kiểm tra, {$tinh}",
 {{SC_HALL, "Đoàn công tác làm việc tại {$dp}", "Đoàn kiểm tra làm việc với lãnh đạo địa phương tại phòng họp"}}},

{"dan-chu-co-so", S_ANY, NEED_NONE, 3, NULL,
 "Giám sát cộng đồng công trình {$congtrinh} ở {$xa}",
 "Ban Giám sát đầu tư của cộng đồng {$xa} đã giám sát suốt quá trình thi công công trình {$congtrinh} với tổng mức đầu tư {#2-15} tỷ đồng.",
 "[[hinh:1]]\n\n"
 "Ngay khi công trình khởi công, Ban đã được cung cấp hồ sơ thiết kế, dự toán. Các thành viên phân công nhau có mặt thường xuyên tại hiện trường, ghi chép nhật ký giám sát.\n\n"
 "Trong quá trình thi công, Ban phát hiện và kiến nghị khắc phục {#2-6} nội dung chưa bảo đảm yêu cầu, {như vật liệu chưa đúng chủng loại, thi công sai trình tự|như mác bê tông một số cấu kiện chưa đạt}; đơn vị thi công đã tiếp thu, sửa chữa.\n\n"
 "Công trình hoàn thành, bàn giao đúng tiến độ và được người dân đánh giá cao về chất lượng.",
 "Dân chủ ở cơ sở, Giám sát cộng đồng, {$tinh}",
 {{SC_VILLAGE, "Ban Giám sát đầu tư của cộng đồng kiểm tra công trình", "Thành viên Ban Giám sát đứng xem công trình đang thi công"}}},

{"dan-chu-co-so", S_ANY, NEED_NONE, 3, "{$xa}",
 "{^xa}: công khai để dân biết, dân bàn, dân kiểm tra",
 "Việc công khai đầy đủ, kịp thời các nội dung theo Luật Thực hiện dân chủ ở cơ sở đã giúp {$xa} tạo được sự đồng thuận trong nhân dân.",
 "Tại trụ sở UBND {$xa}, bảng niêm yết luôn được cập nhật: dự toán và quyết toán ngân sách, các khoản đóng góp của nhân dân, danh sách hộ nghèo, hộ cận nghèo, kế hoạch sử dụng đất. Các nội dung cũng được thông báo trên hệ thống truyền thanh và nhóm Zalo của các thôn.\n\n"
 "[[hinh:1]]\n\n"
 "“{Trước kia có khoản thu nào bà con cũng thắc mắc. Nay mọi việc được công khai, ai muốn xem cũng được, nên không còn ý kiến nữa.|Nhờ công khai mà bà con biết tiền đóng góp làm đường được chi vào đâu, nên ai cũng yên tâm góp.}” – {$ong1} {$dan1}, {$thon} cho biết.\n\n"
 "Năm {$nam}, {$xa} không có đơn thư khiếu nại liên quan đến việc thực hiện dân chủ ở cơ sở.",
 "Dân chủ ở cơ sở, Công khai, {$tinh}",
 {{SC_VILLAGE, "Trụ sở UBND {$xa}", "Trụ sở ủy ban nhân dân xã với bảng niêm yết phía trước"}}},

/* ---- religion and ethnic affairs ------------------------------------------- */
{"ton-giao-dan-toc", S_XMAS, NEED_PARISH, 8, "{$tinh} {$nam}",
 "Thăm, chúc mừng Lễ Giáng sinh tại {$xu}",
 "Nhân dịp Lễ Giáng sinh năm {$nam}, đoàn công tác của {$ban} do đồng chí {$tb}, {$tbcv} dẫn đầu đã đến thăm, chúc mừng linh mục quản xứ và bà con giáo dân {$xu} ({$xunoi}).",
 "[[hinh:1]]\n\n"
 "Thay mặt lãnh đạo {$cap}, đồng chí {$tb} gửi lời chúc mừng Giáng sinh an lành tới linh mục, chức việc và bà con giáo dân; ghi nhận những đóng góp của giáo xứ trong {xây dựng nông thôn mới, giữ gìn an ninh, trật tự|phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”|các hoạt động từ thiện, nhân đạo}.\n\n"
 "Đồng chí mong muốn bà con giáo dân tiếp tục thực hiện tốt phương châm “sống tốt đời, đẹp đạo”, chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước, cùng chính quyền địa phương xây dựng quê hương ngày càng giàu đẹp.\n\n"
 "Linh mục quản xứ cảm ơn sự quan tâm của lãnh đạo {$cap} và cho biết giáo xứ sẽ tiếp tục vận động giáo dân tham gia tích cực các phong trào thi đua ở địa phương.",
 "Tôn giáo, Công giáo, Giáng sinh, {$tinh}",
 {{SC_CHURCH, "Đoàn công tác thăm, chúc mừng {$xu}", "Đoàn công tác trước nhà thờ của giáo xứ"}}},

{"ton-giao-dan-toc", S_VESAK, NEED_NONE, 8, "{$tinh} {$nam}",
 "Lãnh đạo {$tinhfull} chúc mừng Đại lễ Phật đản Phật lịch {$pl}",
 "Nhân dịp Đại lễ Phật đản Phật lịch {$pl} – Dương lịch {$nam}, đoàn công tác của {$uy} {$tinh} do đồng chí {$bt}, {$btcv} dẫn đầu đã đến thăm, chúc mừng Ban Trị sự Giáo hội Phật giáo Việt Nam {$tinhfull}.",
 "[[hinh:1]]\n\n"
 "Đồng chí {$bt} gửi lời chúc mừng tới chư tôn đức tăng, ni và đồng bào Phật tử; đánh giá cao những đóng góp của Giáo hội trong {các hoạt động an sinh xã hội, từ thiện, nhân đạo|giáo dục đạo đức, lối sống cho thanh thiếu niên|xây dựng khối đại đoàn kết toàn dân tộc} trên địa bàn.\n\n"
 "Đồng chí mong muốn Giáo hội tiếp tục phát huy truyền thống “Đạo pháp – Dân tộc – Chủ nghĩa xã hội”, vận động tăng, ni, Phật tử chấp hành tốt pháp luật, tích cực tham gia các phong trào ở địa phương.\n\n"
 "Thay mặt Ban Trị sự, Hòa thượng Trưởng ban cảm ơn sự quan tâm của lãnh đạo {$cap} và cho biết Đại lễ Phật đản năm nay được tổ chức trang nghiêm, {tiết kiệm|an toàn}, đúng quy định.",
 "Tôn giáo, Phật giáo, Phật đản, {$tinh}",
 {{SC_PAGODA, "Đoàn công tác chúc mừng Ban Trị sự Giáo hội Phật giáo Việt Nam {$tinhfull}", "Đoàn công tác trước chùa, nơi đặt trụ sở Ban Trị sự"}}},

{"ton-giao-dan-toc", S_TET, NEED_NONE, 7, "{$tinh} {$canchi}",
 "{$tinh} gặp mặt chức sắc, chức việc các tôn giáo nhân dịp Xuân {$canchi}",
 "{^buoi} {$dm}, {$ban} phối hợp với Ủy ban MTTQ Việt Nam {$tinhfull} tổ chức gặp mặt chức sắc, chức việc, người có uy tín trong các tôn giáo nhân dịp Xuân {$canchi}.",
 "[[hinh:1]]\n\n"
 "Dự buổi gặp mặt có {#60-150} đại biểu là chức sắc, chức việc của Phật giáo, Công giáo, Tin Lành và các tôn giáo khác trên địa bàn.\n\n"
 "Thông tin về tình hình kinh tế - xã hội năm {$namtruoc}, đồng chí {$tb}, {$tbcv} ghi nhận các tổ chức tôn giáo đã {tích cực tham gia công tác an sinh xã hội, đóng góp hàng chục tỷ đồng cho hoạt động từ thiện|vận động tín đồ chấp hành tốt chủ trương, chính sách, góp phần giữ vững ổn định ở cơ sở}.\n\n"
 "[[hinh:2]]\n\n"
 "Các chức sắc tôn giáo bày tỏ vui mừng trước những thành tựu của {$cap}; đồng thời {kiến nghị tiếp tục quan tâm giải quyết các thủ tục liên quan đến đất đai của cơ sở tôn giáo|mong chính quyền tiếp tục tạo điều kiện cho các sinh hoạt tôn giáo đúng pháp luật}. Các kiến nghị đã được lãnh đạo {$cap} tiếp thu, giao cơ quan chức năng xem xét, trả lời.",
 "Tôn giáo, Gặp mặt, Tết, {$tinh}",
 {{SC_HALL, "Quang cảnh buổi gặp mặt", "Chức sắc các tôn giáo dự buổi gặp mặt đầu xuân tại hội trường"},
  {SC_SPEAKER, "Đồng chí {$tb} phát biểu tại buổi gặp mặt", "Đồng chí {$tb} phát biểu tại bục"}}},

{"ton-giao-dan-toc", S_ANY, NEED_ETHNIC, 6, "{$tinh} {$nam}",
 "{$tinh} biểu dương người có uy tín trong đồng bào dân tộc thiểu số",
 "{^buoi} {$dm}, {$ban} tổ chức gặp mặt, biểu dương {#30-180} người có uy tín trong đồng bào dân tộc thiểu số năm {$nam}.",
 "[[hinh:1]]\n\n"
 "Người có uy tín là những già làng, trưởng bản, trưởng dòng họ, người am hiểu phong tục tập quán, được đồng bào tin yêu. Trên địa bàn {$dtnoi}, đồng bào {$dt} sinh sống đan xen; vai trò của người có uy tín trong tuyên truyền, vận động là rất quan trọng.\n\n"
 "Năm qua, người có uy tín đã {tham gia hòa giải thành {#10-40} vụ việc ở cơ sở|vận động bà con hiến {%2000-12000} m² đất làm đường, xây nhà văn hóa|cung cấp cho chính quyền nhiều thông tin có giá trị về an ninh, trật tự}, góp phần giữ vững ổn định ở vùng đồng bào dân tộc thiểu số.\n\n"
 "Tại buổi gặp mặt, {$ong1} {$dan1}, người có uy tín ở {$dtnoi} bày tỏ: “{Được Đảng, Nhà nước tin tưởng, tôi càng phải gương mẫu để bà con làm theo.|Tôi sẽ tiếp tục vận động con cháu, bà con trong bản giữ gìn bản sắc, làm ăn đúng pháp luật.}”",
 "Dân tộc, Người có uy tín, {$tinh}",
 {{SC_GIFT, "Biểu dương người có uy tín trong đồng bào dân tộc thiểu số", "Những người có uy tín đứng trên sân khấu nhận hoa và giấy khen"}}},

{"ton-giao-dan-toc", S_ANY, NEED_ETHNIC, 5, "{$dtnoi} {$nam}",
 "Đồng bào {$dt} ở {$dtnoi} {chung sức xây dựng nông thôn mới|giữ gìn bản sắc văn hóa dân tộc|vươn lên thoát nghèo}",
 "Được cấp ủy, chính quyền và các đoàn thể quan tâm vận động, đồng bào {$dt} ở {$dtnoi} đã đoàn kết, đổi mới cách làm ăn, góp phần thay đổi diện mạo vùng quê.",
 "[[hinh:1]]\n\n"
 "Cách đây vài năm, {nhiều tuyến đường vào thôn, bản còn là đường đất, mùa mưa đi lại rất khó khăn|tỷ lệ hộ nghèo ở đây còn cao, sản xuất chủ yếu tự cung tự cấp}. Thực hiện các chương trình hỗ trợ đồng bào dân tộc thiểu số, cán bộ dân vận đã {“cùng ăn, cùng ở, cùng làm” với bà con|bám thôn, bám bản, hướng dẫn bà con cách làm ăn mới}.\n\n"
 "Nhờ đó, {#40-150} hộ đã {chuyển sang trồng rừng, cây dược liệu cho thu nhập ổn định|tham gia làm du lịch cộng đồng|hiến đất, góp công làm đường bê tông}; tỷ lệ hộ nghèo giảm {#3-8} điểm phần trăm so với năm {$namtruoc}.\n\n"
 "[[hinh:2]]\n\n"
 "Các lễ hội, làn điệu dân ca, trang phục truyền thống của đồng bào {$dt} được khôi phục, gìn giữ; {nhiều câu lạc bộ văn nghệ dân gian đã được thành lập|các lớp truyền dạy tiếng nói, chữ viết của dân tộc được duy trì}.",
 "Dân tộc, Nông thôn mới, {$tinh}",
 {{SC_FIELD, "Đồng bào {$dt} ở {$dtnoi} trên đồng ruộng", "Bà con làm việc trên cánh đồng, phía xa là đồi núi"},
  {SC_VILLAGE, "Đường bê tông vào thôn, bản", "Con đường bê tông mới dẫn vào thôn"}}},

{"ton-giao-dan-toc", S_ANY, NEED_PARISH, 4, "{$xu}",
 "{^xu}: {sống tốt đời, đẹp đạo|chung tay xây dựng quê hương}",
 "Những năm qua, bà con giáo dân {$xu} ({$xunoi}) luôn đoàn kết với bà con lương, tích cực hưởng ứng các phong trào thi đua ở địa phương.",
 "[[hinh:1]]\n\n"
 "Hưởng ứng phong trào xây dựng nông thôn mới, giáo xứ đã vận động giáo dân đóng góp {#300-1500} triệu đồng và hàng nghìn ngày công {làm đường, lắp đèn chiếu sáng|xây dựng cầu, cống nội đồng}. Các hội đoàn trong giáo xứ thường xuyên thăm hỏi, giúp đỡ người già neo đơn, trẻ em có hoàn cảnh khó khăn, không phân biệt lương – giáo.\n\n"
 "Theo lãnh đạo UBND {$xunoi}, mối quan hệ giữa chính quyền với linh mục quản xứ và ban hành giáo luôn cởi mở; mọi vướng mắc đều được trao đổi thẳng thắn, giải quyết trên tinh thần tôn trọng pháp luật.",
 "Tôn giáo, Công giáo, Đoàn kết lương giáo, {$tinh}",
 {{SC_CHURCH, "Nhà thờ {$xu}", "Nhà thờ giáo xứ với tháp chuông, sân trước có bà con giáo dân"}}},

{"ton-giao-dan-toc", S_SUMMER, NEED_PAGODA, 4, "{$chua} {$nam}",
 "Khóa tu mùa hè cho thanh thiếu niên tại {$chua}",
 "Khóa tu mùa hè năm {$nam} tại {$chua} ({$chuanoi}) thu hút {#200-800} thanh thiếu niên tham gia, giúp các em rèn luyện kỹ năng sống, đạo đức và lòng hiếu thảo.",
 "[[hinh:1]]\n\n"
 "Trong {#5-7} ngày, các khóa sinh được nghe giảng về lòng biết ơn, về trách nhiệm với gia đình và xã hội; tham gia các hoạt động tập thể, trò chơi dân gian và kỹ năng phòng tránh đuối nước.\n\n"
 "Đại diện {$ban} đã đến thăm, động viên khóa tu; đánh giá cao việc nhà chùa tổ chức khóa tu đúng quy định, nội dung thiết thực, góp phần giáo dục thế hệ trẻ.",
 "Tôn giáo, Phật giáo, Thanh thiếu niên, {$tinh}",
 {{SC_PAGODA, "Các khóa sinh tại {$chua}", "Các bạn trẻ xếp hàng trước sân chùa"}}},

{"ton-giao-dan-toc", S_ANY, NEED_NONE, 5, "{$tinh} {$nam}",
 "{$tinh} cung cấp thông tin cho chức sắc, chức việc các tôn giáo",
 "{^buoi} {$dm}, {$ban} phối hợp với Sở Nội vụ tổ chức hội nghị cung cấp thông tin về tình hình kinh tế - xã hội và chính sách, pháp luật về tín ngưỡng, tôn giáo cho {#80-200} chức sắc, chức việc các tôn giáo trên địa bàn {$tinhfull}.",
 "[[hinh:1]]\n\n"
 "Tại hội nghị, các đại biểu được thông tin về kết quả phát triển kinh tế - xã hội của {$cap} {$ky}; những điểm mới của pháp luật về tín ngưỡng, tôn giáo; {việc sắp xếp đơn vị hành chính và những thay đổi trong giải quyết thủ tục liên quan đến hoạt động tôn giáo|các thủ tục đăng ký sinh hoạt tôn giáo tập trung, tổ chức lễ hội tôn giáo}.\n\n"
 "Các chức sắc đã trao đổi thẳng thắn về {thủ tục cấp giấy chứng nhận quyền sử dụng đất cho cơ sở tôn giáo|việc sửa chữa, cải tạo cơ sở thờ tự|tổ chức các hoạt động từ thiện, nhân đạo}. Đại diện các sở, ngành đã giải đáp, hướng dẫn cụ thể.\n\n"
 "Đồng chí {$pb}, {$pbcv} đề nghị các chức sắc tiếp tục vận động tín đồ “sống tốt đời, đẹp đạo”, chấp hành pháp luật, tham gia các phong trào thi đua ở địa phương.",
 "Tôn giáo, Chức sắc, Cung cấp thông tin, {$tinh}",
 {{SC_HALL, "Quang cảnh hội nghị cung cấp thông tin", "Chức sắc, chức việc các tôn giáo dự hội nghị tại hội trường"}}},

{"ton-giao-dan-toc", S_ANY, NEED_NONE, 4, "{$dp}",
 "Kiểm tra việc thực hiện chính sách, pháp luật về tôn giáo tại {$dp}",
 "Đoàn công tác Ban Chỉ đạo công tác tôn giáo {$cap} do đồng chí {$pb}, {$pbcv} làm trưởng đoàn vừa kiểm tra việc thực hiện chính sách, pháp luật về tín ngưỡng, tôn giáo tại {$dp}.",
 "Báo cáo với đoàn, lãnh đạo {$dp} cho biết trên địa bàn có {#8-40} cơ sở thờ tự và hàng nghìn tín đồ các tôn giáo. Các sinh hoạt tôn giáo diễn ra bình thường, đúng pháp luật; {chưa phát hiện hoạt động truyền đạo trái pháp luật|một số trường hợp sinh hoạt tôn giáo tại gia chưa đăng ký đã được vận động, hướng dẫn thực hiện đúng quy định}.\n\n"
 "[[hinh:1]]\n\n"
 "Đoàn đề nghị {$coso} tiếp tục nắm chắc tình hình, giải quyết kịp thời các kiến nghị chính đáng liên quan đến đất đai, cơ sở thờ tự; phát huy vai trò của chức sắc, chức việc và người có uy tín trong vận động tín đồ.",
 "Tôn giáo, Kiểm tra, {$tinh}",
 {{SC_HALL, "Đoàn công tác làm việc tại {$dp}", "Đoàn kiểm tra làm việc với lãnh đạo địa phương"}}},

/* ---- training -------------------------------------------------------------- */
{"dao-tao-boi-duong", S_ANY, NEED_NONE, 6, "{$tinh} {$nam}",
 "{$tinh} tập huấn nghiệp vụ công tác dân vận năm {$nam}",
 "{^buoi} {$dm}, {$ban} tổ chức lớp tập huấn nghiệp vụ công tác dân vận năm {$nam} cho {#80-300} học viên là cán bộ làm công tác dân vận ở cơ sở.",
 "[[hinh:1]]\n\n"
 "Trong {#2-3} ngày, các học viên được nghe giới thiệu:\n\n"
 "- Quy chế công tác dân vận của hệ thống chính trị (ban hành kèm theo Quyết định số 23-QĐ/TW);\n"
 "- kỹ năng nắm tình hình nhân dân và tham mưu xử lý những vấn đề nảy sinh ở cơ sở;\n"
 "- {kỹ năng tuyên truyền, vận động nhân dân|kỹ năng tiếp xúc, đối thoại với nhân dân};\n"
 "- kinh nghiệm xây dựng, nhân rộng mô hình “Dân vận khéo”.\n\n"
 "{Các báo cáo viên là lãnh đạo {$ban} và giảng viên Trường Chính trị {$cap}.|Lớp học được tổ chức theo hình thức trao đổi, thảo luận tình huống cụ thể.}\n\n"
 "[[hinh:2]]\n\n"
 "[[hinh:3]]\n\n"
 "Phát biểu bế mạc, đồng chí {$pb}, {$pbcv} đề nghị các học viên vận dụng kiến thức vào thực tiễn, “nói dân hiểu, làm dân tin”, bám sát cơ sở để kịp thời nắm bắt tâm tư, nguyện vọng của nhân dân.",
 "Tập huấn, Nghiệp vụ dân vận, {$tinh}",
 {{SC_CLASS, "Quang cảnh lớp tập huấn", "Học viên ngồi nghe giảng trong hội trường, phía trước là màn chiếu"},
  {SC_SPEAKER, "Đồng chí {$pb}, {$pbcv} phát biểu bế mạc lớp tập huấn", "Đồng chí {$pb} phát biểu tại bục"},
  {SC_CLASS, "Học viên thảo luận nhóm", "Các nhóm học viên thảo luận tình huống trong lớp"}}},

{"dao-tao-boi-duong", S_ANY, NEED_NONE, 4, "{$tinh} {$nam}",
 "{$tinh} bồi dưỡng kỹ năng tiếp công dân, đối thoại cho cán bộ cấp xã",
 "{^buoi} {$dm}, {$ban} phối hợp với Thanh tra {$cap} tổ chức lớp bồi dưỡng kỹ năng tiếp công dân, đối thoại và giải quyết khiếu nại, tố cáo cho {#100-250} cán bộ, công chức cấp xã.",
 "[[hinh:1]]\n\n"
 "Các học viên được hướng dẫn những quy định của Luật Tiếp công dân, Luật Khiếu nại, Luật Tố cáo và Quy định số 11-QĐi/TW của Bộ Chính trị; cách phân loại đơn, thời hạn thụ lý, giải quyết và những việc phải làm để bảo vệ bí mật thông tin của người tố cáo.\n\n"
 "Phần thảo luận tập trung vào các tình huống thường gặp: {đoàn đông người đến trụ sở|đơn vừa khiếu nại vừa tố cáo|người dân gửi đơn nhiều lần, nhiều nơi}. Các học viên đã cùng phân tích, đề xuất cách xử lý đúng pháp luật, có lý, có tình.\n\n"
 "Theo Ban Tổ chức, {#60-80}% đơn thư hiện nay liên quan đến đất đai; vì vậy kỹ năng đối thoại, giải thích chính sách ngay từ cơ sở có ý nghĩa rất quan trọng.",
 "Tập huấn, Tiếp công dân, Khiếu nại, tố cáo, {$tinh}",
 {{SC_CLASS, "Học viên thảo luận tình huống", "Học viên thảo luận nhóm trong lớp bồi dưỡng"}}},

{"dao-tao-boi-duong", S_ANY, NEED_NONE, 4, "{$tinh} {$nam}",
 "Tập huấn công tác tôn giáo, dân tộc cho cán bộ cơ sở {$cap} {$tinh}",
 "{$ban} vừa tổ chức lớp tập huấn công tác tôn giáo, dân tộc cho {#80-200} cán bộ phụ trách công tác dân vận, tôn giáo ở cấp xã.",
 "[[hinh:1]]\n\n"
 "Nội dung tập huấn gồm: quan điểm của Đảng về công tác tôn giáo, công tác dân tộc; Luật Tín ngưỡng, tôn giáo và các văn bản hướng dẫn; kỹ năng nắm tình hình an ninh tôn giáo, vùng đồng bào dân tộc thiểu số; nhận diện, phòng ngừa hoạt động truyền đạo trái pháp luật.\n\n"
 "Các học viên đã trao đổi về {việc giải quyết các kiến nghị liên quan đến đất đai của cơ sở thờ tự|cách vận động chức sắc, chức việc tham gia các phong trào ở địa phương|xử lý các tình huống sinh hoạt tôn giáo tập trung chưa đăng ký}.\n\n"
 "Đồng chí {$pb}, {$pbcv} lưu ý cán bộ cơ sở phải nắm chắc tình hình, tôn trọng tự do tín ngưỡng, tôn giáo của nhân dân, đồng thời kiên quyết ngăn chặn việc lợi dụng tôn giáo gây mất ổn định.",
 "Tập huấn, Tôn giáo, Dân tộc, {$tinh}",
 {{SC_CLASS, "Quang cảnh lớp tập huấn công tác tôn giáo, dân tộc", "Học viên nghe giảng, phía trước là màn chiếu"}}},

{"dao-tao-boi-duong", S_ANY, NEED_NONE, 3, "{$tinh} {$nam}",
 "{$tinh} bồi dưỡng kỹ năng công tác dân vận trên không gian mạng",
 "Hơn {100|150|200|250} cán bộ, đoàn viên, hội viên {$cap} {$tinh} vừa được bồi dưỡng kỹ năng công tác dân vận trên không gian mạng.",
 "[[hinh:1]]\n\n"
 "Lớp học giúp học viên nắm được cách xây dựng, quản trị các trang, nhóm thông tin của cơ sở trên mạng xã hội; kỹ năng nắm bắt dư luận, trả lời phản ánh của người dân trên môi trường số; nhận diện và phản bác thông tin sai lệch.\n\n"
 "“{Người dân bây giờ phản ánh qua mạng nhiều hơn đến trụ sở. Cán bộ dân vận phải có mặt ở đó, trả lời nhanh và đúng.|Một phản ánh trên nhóm Zalo của thôn nếu được trả lời ngay thì sẽ không thành đơn thư.}” – một học viên chia sẻ.",
 "Tập huấn, Chuyển đổi số, Không gian mạng, {$tinh}",
 {{SC_CLASS, "Học viên thực hành trên điện thoại", "Học viên trong lớp học cầm điện thoại thực hành"}}},

{"dao-tao-boi-duong", S_ANY, NEED_NONE, 3, "{$tinh} {$nam}",
 "{$tinh} tập huấn Luật Thực hiện dân chủ ở cơ sở cho trưởng thôn, tổ trưởng tổ dân phố",
 "{$ban} phối hợp với Sở Nội vụ tổ chức tập huấn Luật Thực hiện dân chủ ở cơ sở cho {#150-400} trưởng thôn, tổ trưởng tổ dân phố và thành viên Ban Thanh tra nhân dân.",
 "[[hinh:1]]\n\n"
 "Học viên được hướng dẫn những nội dung phải công khai, những việc nhân dân bàn và quyết định, những việc nhân dân tham gia ý kiến trước khi cơ quan có thẩm quyền quyết định, cùng cách tổ chức hội nghị thôn, tổ dân phố đúng quy định.\n\n"
 "Nhiều câu hỏi thực tế được nêu: {cách tính tỷ lệ hộ tán thành khi biểu quyết|khi nào phải tổ chức phát phiếu lấy ý kiến|cách sửa đổi hương ước, quy ước}; các báo cáo viên đã giải đáp cụ thể.",
 "Tập huấn, Dân chủ ở cơ sở, {$tinh}",
 {{SC_CLASS, "Quang cảnh lớp tập huấn", "Trưởng thôn, tổ trưởng tổ dân phố dự lớp tập huấn"}}},

{"dao-tao-boi-duong", S_ANY, NEED_MERGED, 4, "{$tinh}",
 "{$tinh} bồi dưỡng nghiệp vụ cho cán bộ dân vận cấp xã sau sắp xếp",
 "Sau khi sắp xếp đơn vị hành chính và vận hành chính quyền địa phương hai cấp, {$ban} tổ chức bồi dưỡng nghiệp vụ cho {#150-350} cán bộ làm công tác dân vận ở các xã, phường.",
 "[[hinh:1]]\n\n"
 "Nhiều cán bộ mới được phân công phụ trách công tác dân vận trên địa bàn rộng hơn trước, với dân số đông hơn và nhiều đặc điểm mới. Lớp bồi dưỡng tập trung vào chức năng, nhiệm vụ của đảng ủy xã, phường trong công tác dân vận; kỹ năng nắm tình hình nhân dân; phối hợp với MTTQ và các đoàn thể sau hợp nhất.\n\n"
 "Đồng chí {$tb}, {$tbcv} yêu cầu cán bộ dân vận cấp xã sâu sát địa bàn, không để “khoảng trống” trong tiếp nhận, giải quyết kiến nghị của người dân sau sắp xếp.",
 "Tập huấn, Chính quyền hai cấp, {$tinh}",
 {{SC_CLASS, "Quang cảnh lớp bồi dưỡng", "Cán bộ cấp xã dự lớp bồi dưỡng nghiệp vụ"}}},

/* ---- local news ------------------------------------------------------------ */
{"tin-dia-phuong", S_ANY, NEED_NONE, 5, NULL,
 "Bàn giao nhà Đại đoàn kết cho hộ {nghèo|cận nghèo|có hoàn cảnh khó khăn} ở {$thon}, {$xa}",
 "{^buoi} {$dm}, Ủy ban MTTQ {$xa} phối hợp với {$ban} bàn giao nhà Đại đoàn kết cho gia đình {$ong1} {$dan1} ở {$thon}.",
 "Ngôi nhà có diện tích {#50-80} m², tổng kinh phí {#100-180} triệu đồng, trong đó Quỹ “Vì người nghèo” hỗ trợ {#50-80} triệu đồng, phần còn lại do gia đình, dòng họ và bà con lối xóm góp công, góp của.\n\n"
 "[[hinh:1]]\n\n"
 "Xúc động nhận chìa khóa nhà mới, {$ong1} {$dan1} nói: “{Cả đời tôi không dám nghĩ có được ngôi nhà vững chãi thế này. Cảm ơn chính quyền và bà con đã giúp đỡ.|Từ nay mưa bão không còn phải lo nữa. Gia đình tôi sẽ cố gắng làm ăn để không phụ lòng mọi người.}”\n\n"
 "Từ đầu năm đến nay, {$cap} {$tinh} đã hỗ trợ xây mới, sửa chữa {#60-400} nhà Đại đoàn kết.",
 "Nhà Đại đoàn kết, An sinh xã hội, {$tinh}",
 {{SC_HOUSE, "Bàn giao nhà Đại đoàn kết cho gia đình {$ong1} {$dan1}", "Ngôi nhà mới mái đỏ, trước nhà có mọi người dự lễ bàn giao"}}},

{"tin-dia-phuong", S_DDK, NEED_NONE, 8, "{$tinh} {$nam}",
 "Ngày hội Đại đoàn kết toàn dân tộc ở {$thon}, {$xa}",
 "{^buoi} {$dm}, {$thon}, {$xa} tổ chức Ngày hội Đại đoàn kết toàn dân tộc, kỷ niệm {$nmt} năm Ngày truyền thống Mặt trận Tổ quốc Việt Nam (18/11/1930 – 18/11/{$nam}). Đồng chí {$tb}, {$tbcv} dự và chung vui cùng bà con.",
 "[[hinh:1]]\n\n"
 "Năm {$nam}, bà con {$thon} đã {hiến {%300-2000} m² đất, đóng góp {#200-900} triệu đồng làm đường|xây dựng khu dân cư kiểu mẫu|giúp {#3-10} hộ khó khăn sửa chữa nhà ở}; {#90-98}% hộ gia đình đạt danh hiệu “Gia đình văn hóa”.\n\n"
 "Tại ngày hội, đồng chí {$tb} đã tặng quà cho các hộ gia đình có hoàn cảnh khó khăn và mong bà con tiếp tục phát huy tình làng, nghĩa xóm, chung sức xây dựng quê hương.\n\n"
 "[[hinh:2]]\n\n"
 "Ngày hội còn có nhiều hoạt động văn hóa, văn nghệ, thể thao và trò chơi dân gian, thu hút đông đảo người dân tham gia.",
 "Đại đoàn kết, MTTQ, {$tinh}",
 {{SC_GIFT, "Trao quà cho các hộ gia đình tại Ngày hội", "Lãnh đạo trao quà cho các hộ gia đình trên sân khấu ngày hội"},
  {SC_VILLAGE, "Người dân {$thon} vui Ngày hội Đại đoàn kết", "Bà con tập trung trên đường làng trang trí cờ hoa"}}},

{"tin-dia-phuong", S_BEFORE_TET, NEED_NONE, 6, "{$tinh} {$canchi}",
 "Trao {#200-900} suất quà Tết cho hộ nghèo, gia đình chính sách ở {$dp}",
 "Nhân dịp Xuân {$canchi}, {$ban} phối hợp với {$ubnd} trao {#200-900} suất quà Tết cho hộ nghèo, hộ cận nghèo và gia đình chính sách.",
 "[[hinh:1]]\n\n"
 "Mỗi suất quà trị giá {#500-2000} nghìn đồng gồm tiền mặt và nhu yếu phẩm, từ nguồn Quỹ “Vì người nghèo” và sự ủng hộ của các doanh nghiệp, nhà hảo tâm.\n\n"
 "Đồng chí {$tb}, {$tbcv} thăm hỏi, chúc Tết các gia đình, mong bà con đón Tết vui tươi, đầm ấm, tiếp tục vượt khó vươn lên.",
 "Tết, An sinh xã hội, {$tinh}",
 {{SC_GIFT, "Trao quà Tết cho các hộ gia đình", "Đại biểu trao quà Tết cho người dân"}}},

{"tin-dia-phuong", S_ANY, NEED_NONE, 4, NULL,
 "Khánh thành đường giao thông do nhân dân hiến đất ở {$xa}",
 "{^buoi} {$dm}, {$xa} khánh thành tuyến đường {#1-5} km đi qua {#2-4} thôn, được xây dựng từ nguồn ngân sách và sự đóng góp của nhân dân.",
 "[[hinh:1]]\n\n"
 "Để có mặt bằng mở rộng đường lên 6 m, {#40-160} hộ dân đã tự nguyện hiến {%1500-8000} m² đất và tháo dỡ tường rào, công trình phụ. Tổng kinh phí xây dựng {#5-20} tỷ đồng, trong đó nhân dân đóng góp {#500-3000} triệu đồng.\n\n"
 "Đồng chí {$ct}, {$ctcv} cảm ơn bà con đã đồng lòng cùng chính quyền; khẳng định đây là kết quả của việc làm tốt công tác dân vận, để “dân biết, dân bàn, dân làm, dân kiểm tra”.",
 "Giao thông nông thôn, Hiến đất, Nông thôn mới, {$tinh}",
 {{SC_VILLAGE, "Tuyến đường mới ở {$xa}", "Con đường bê tông rộng, hai bên có nhà và hoa"}}},
};

/* Dialogue topics: the subject and two concerns people raise about it. */
static const char *const topics[][3] = {
	{"công tác giải phóng mặt bằng", "đơn giá bồi thường đất nông nghiệp và cây cối, hoa màu",
	 "vị trí và thời gian bố trí đất tái định cư"},
	{"xây dựng nông thôn mới nâng cao", "việc huy động đóng góp của nhân dân làm đường, nhà văn hóa",
	 "chất lượng một số công trình đã hoàn thành"},
	{"quản lý đất đai, trật tự xây dựng", "việc cấp giấy chứng nhận quyền sử dụng đất còn chậm",
	 "tình trạng xây dựng công trình trên đất nông nghiệp"},
	{"vệ sinh môi trường", "việc thu gom, xử lý rác thải sinh hoạt",
	 "ô nhiễm từ các cơ sở chăn nuôi, sản xuất trong khu dân cư"},
	{"cải cách thủ tục hành chính", "thời gian giải quyết hồ sơ nộp trực tuyến",
	 "thái độ phục vụ của cán bộ bộ phận một cửa"},
	{"thực hiện chính sách an sinh xã hội", "việc bình xét hộ nghèo, hộ cận nghèo",
	 "chế độ đối với người có công và người cao tuổi"},
};

/* Whom a provincial party secretary holds a dialogue with, and what they
 * raise. */
static const char *const audiences[][2] = {
	{"nông dân", "đất sản xuất, giá vật tư nông nghiệp, tiêu thụ nông sản và thủ tục vay vốn"},
	{"thanh niên", "việc làm, khởi nghiệp, học nghề và sân chơi cho thanh niên ở cơ sở"},
	{"phụ nữ", "việc làm cho lao động nữ, chăm sóc trẻ em và phòng chống bạo lực gia đình"},
	{"doanh nghiệp", "thủ tục đầu tư, mặt bằng sản xuất, thuế và tiếp cận vốn"},
	{"cựu chiến binh", "chế độ chính sách, tham gia giữ gìn an ninh, trật tự ở cơ sở"},
};

static const char *const drafts[] = {
	"dự thảo điều chỉnh quy hoạch sử dụng đất",
	"dự thảo hương ước, quy ước của các thôn",
	"phương án bồi thường, hỗ trợ, tái định cư dự án {đường vành đai|cụm công nghiệp|mở rộng quốc lộ}",
	"dự thảo kế hoạch phát triển kinh tế - xã hội năm {$namsau}",
	"dự thảo đề án xây dựng xã nông thôn mới kiểu mẫu",
	"dự thảo đặt tên đường, tên công trình công cộng",
};

static const char *const works[] = {
	"nhà văn hóa {$thon}", "đường giao thông liên thôn", "trường mầm non trung tâm",
	"kênh tưới tiêu nội đồng", "cầu dân sinh qua sông", "sân thể thao {$thon}",
};

/* Readers' feedback.  kind: 'A' worth publishing, 'R' to reject, 'P' a
 * petition in all but name (what moderators make a case of).  Contact
 * details are added at random. */
static const struct {
	char kind;
	const char *content;
} feedback_texts[] = {
	{'A', "Bài viết rất thiết thực. Mong {$ban} tiếp tục đưa nhiều tin về các mô hình hay ở cơ sở để các địa phương học tập."},
	{'A', "Đọc bài thấy rất tự hào về quê mình. Cảm ơn các đồng chí cán bộ đã sâu sát với bà con."},
	{'A', "Cách làm ở {$thon} rất đáng học hỏi: cán bộ làm trước, dân làm theo. Đề nghị nhân rộng ra các xã khác."},
	{'A', "Tôi là người dân {$xa}, xin xác nhận những gì bài viết nêu là đúng. Đường làng bây giờ sạch đẹp hơn trước nhiều."},
	{'A', "Mong rằng các kiến nghị tại hội nghị được giải quyết dứt điểm và thông báo kết quả cho bà con được biết."},
	{'A', "Công tác dân vận khéo thì việc gì cũng thành công. Bài viết hay, nội dung gần gũi."},
	{'A', "Đề nghị trang tin đăng thêm ảnh và danh sách các mô hình được công nhận để bà con tiện theo dõi."},
	{'A', "Cảm ơn bài viết. Xin hỏi lớp tập huấn có tổ chức cho cán bộ thôn không, và đăng ký ở đâu ạ?"},
	{'A', "Rất mừng khi thấy chính quyền đối thoại thẳng thắn với dân. Hy vọng việc này được duy trì đều đặn."},
	{'A', "Bài viết phản ánh đúng tinh thần “dân biết, dân bàn, dân làm, dân kiểm tra”. Xin cảm ơn tác giả."},
	{'P', "Đường liên thôn đoạn qua {$thon} xuống cấp nhiều ổ gà, mùa mưa rất nguy hiểm cho học sinh đi học. Đề nghị xã sớm kiểm tra, sửa chữa."},
	{'P', "Gia đình tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất tại {$xa} từ lâu nhưng chưa có kết quả. Đề nghị cơ quan chức năng xem xét, trả lời."},
	{'P', "Khu vực gần {$thon} có cơ sở chăn nuôi xả thải ra mương, mùi hôi ảnh hưởng đến sinh hoạt của nhiều hộ. Đề nghị chính quyền kiểm tra, xử lý."},
	{'P', "Đề nghị công khai danh sách hộ được hỗ trợ xây nhà Đại đoàn kết năm nay ở {$xa} để bà con cùng giám sát."},
	{'P', "Đèn chiếu sáng trên tuyến đường qua {$thon} hỏng đã lâu chưa được thay. Mong xã quan tâm."},
	{'R', "Không đồng ý!!!"},
	{'R', "Bài này đăng từ lâu rồi, sao không cập nhật gì mới?"},
};

/* ==== per-article context ================================================== */

typedef struct Unitish {
	char *name, *full_name; /* "Kiến Xương", "Huyện Kiến Xương" */
} Unitish;

static void unitish_free(Unitish *u)
{
	free(u->name);
	free(u->full_name);
	u->name = u->full_name = NULL;
}

/* A random unit: which 0 = a rural district of the old province `parent`,
 * 1 = a commune (xã) of the old district `parent`, 2 = a commune in force
 * of the merged province `parent`. */
static Rc random_unit(Db *db, Rng *g, int which, int64_t parent, Unitish *out)
{
	int64_t n = 0;
	Rc rc;
	if (which == 0)
		rc = db_get_int(db, &n, "SELECT count(*) FROM unit WHERE level = 'district' AND era = 2020"
					" AND province_id = ? AND (full_name LIKE 'Huyện %' OR full_name LIKE 'Thị xã %')"
					" AND EXISTS (SELECT 1 FROM unit c WHERE c.parent_id = unit.id"
					" AND c.full_name LIKE 'Xã %')",
				"l", parent);
	else if (which == 1)
		rc = db_get_int(db, &n, "SELECT count(*) FROM unit WHERE level = 'commune' AND era = 2020"
					" AND parent_id = ? AND full_name LIKE 'Xã %'", "l", parent);
	else
		rc = db_get_int(db, &n, "SELECT count(*) FROM unit WHERE level = 'commune' AND valid_to IS NULL"
					" AND province_id = ? AND full_name LIKE 'Xã %'", "l", parent);
	if (rc)
		return rc;
	if (n == 0)
		return RC_NOT_FOUND;
	int off = pick(g, (int)n);
	DbStmt *st;
	if (which == 0)
		rc = db_prep(db, &st, "SELECT id, name, full_name FROM unit WHERE level = 'district' AND era = 2020"
				      " AND province_id = ? AND (full_name LIKE 'Huyện %' OR full_name LIKE 'Thị xã %')"
				      " AND EXISTS (SELECT 1 FROM unit c WHERE c.parent_id = unit.id"
				      " AND c.full_name LIKE 'Xã %') ORDER BY code LIMIT 1 OFFSET ?", "li", parent, off);
	else if (which == 1)
		rc = db_prep(db, &st, "SELECT id, name, full_name FROM unit WHERE level = 'commune' AND era = 2020"
				      " AND parent_id = ? AND full_name LIKE 'Xã %' ORDER BY code LIMIT 1 OFFSET ?",
			     "li", parent, off);
	else
		rc = db_prep(db, &st, "SELECT id, name, full_name FROM unit WHERE level = 'commune'"
				      " AND valid_to IS NULL AND province_id = ? AND full_name LIKE 'Xã %'"
				      " ORDER BY code LIMIT 1 OFFSET ?", "li", parent, off);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		out->name = xstrdup(db_col_text(st, 1));
		out->full_name = xstrdup(db_col_text(st, 2));
	}
	db_done(st);
	if (s != DB_ROW)
		return s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
	return RC_OK;
}

static Rc unit_id_of(Db *db, const char *code, bool merged, int64_t *id, char **name, char **full)
{
	DbStmt *st;
	Rc rc = merged ? db_prep(db, &st, "SELECT id, name, full_name FROM unit WHERE level = 'province'"
					  " AND code = ? AND valid_to IS NULL", "t", code)
		       : db_prep(db, &st, "SELECT id, name, full_name FROM unit WHERE level = 'province'"
					  " AND code = ? AND era = 2020", "t", code);
	if (rc)
		return rc;
	int s = db_step(st);
	if (s == DB_ROW) {
		*id = db_col_int(st, 0);
		*name = xstrdup(db_col_text(st, 1));
		*full = xstrdup(db_col_text(st, 2));
	}
	db_done(st);
	return s == DB_ROW ? RC_OK : s == DB_DONE ? RC_NOT_FOUND : (Rc)-s;
}

static Rc district_id(Db *db, int64_t province, const char *full_name, int64_t *id)
{
	return db_get_int(db, id, "SELECT id FROM unit WHERE level = 'district' AND era = 2020"
				  " AND province_id = ? AND full_name = ?", "lt", province, full_name);
}

typedef struct Story {
	int64_t day;           /* day number of the event */
	bool merged;           /* after 2025-07-01: the merged provinces, no districts */
	const char *code;      /* province code in force on the day (old before the merger) */
	const Site *pagoda, *parish, *ethnic; /* what the province has, NULL: none */
} Story;

static int64_t vn_time(int64_t day, int hour, int minute)
{
	return day * 86400 + (int64_t)(hour - 7) * 3600 + minute * 60;
}

static int64_t day_of(int y, int m, int d)
{
	return date_to_days((Date){y, m, d});
}

static const char *canchi(int year)
{
	static const char *const can[] = {"Canh", "Tân", "Nhâm", "Quý", "Giáp", "Ất", "Bính", "Đinh",
					  "Mậu", "Kỷ"};
	static const char *const chi[] = {"Thân", "Dậu", "Tuất", "Hợi", "Tý", "Sửu", "Dần", "Mão",
					  "Thìn", "Tỵ", "Ngọ", "Mùi"};
	static char out[32];
	xsnprintf(out, sizeof out, "%s %s", can[year % 10], chi[year % 12]);
	return out;
}

static const Site *pick_site(Rng *g, const Story *s, char kind)
{
	const Site *found[16];
	int n = 0;
	for (size_t i = 0; i < ARRAY_LEN(sites) && n < 16; i++) {
		const Site *x = &sites[i];
		if (x->kind != kind)
			continue;
		bool ok = s->merged ? str_eq(successor(x->old), s->code) : (str_eq(x->old, s->code) && x->before);
		if (ok)
			found[n++] = x;
	}
	return n ? found[pick(g, n)] : NULL;
}

/* Fill the context of one story: places, people, organisations, dates. */
static Rc story_context(Db *db, Ctx *c, Story *s)
{
	Rng *g = c->g;
	Buf b = BUF_INIT;
	Date d = date_from_days(s->day);
	bool ban_merged = s->day >= day_of(2025, 3, 1);
	bool tw_merged = s->day >= day_of(2025, 2, 3);
	int64_t prov = 0;
	char *pname = NULL, *pfull = NULL;
	Rc rc = unit_id_of(db, s->code, s->merged, &prov, &pname, &pfull);
	if (rc)
		return rc;
	bool city = str_starts(pfull, "Thành phố");
	const char *uy = city ? "Thành ủy" : "Tỉnh ủy";
	const char *bn = ban_merged ? "Ban Tuyên giáo và Dân vận" : "Ban Dân vận";
	const char *bantw = tw_merged ? "Ban Tuyên giáo và Dân vận Trung ương" : "Ban Dân vận Trung ương";
	set(c, "tinh", pname);
	put_lower(&b, pfull);
	set_buf(c, "tinhfull", &b);
	set(c, "cap", city ? "thành phố" : "tỉnh");
	set(c, "uy", uy);
	set(c, "bn", bn);
	buf_printf(&b, "%s %s %s", bn, uy, pname);
	set_buf(c, "ban", &b);
	set(c, "bantw", bantw);

	/* the local places */
	Unitish dist = {0}, comm = {0};
	if (s->merged) {
		rc = random_unit(db, g, 2, prov, &comm);
	} else {
		int64_t did = 0;
		rc = random_unit(db, g, 0, prov, &dist);
		if (!rc)
			rc = district_id(db, prov, dist.full_name, &did);
		if (!rc)
			rc = random_unit(db, g, 1, did, &comm);
	}
	if (rc) {
		unitish_free(&dist);
		unitish_free(&comm);
		free(pname);
		free(pfull);
		buf_release(&b);
		return rc;
	}
	put_lower(&b, comm.full_name);
	set_buf(c, "xa", &b);
	if (s->merged) {
		put_lower(&b, comm.full_name);
		set_buf(c, "dp", &b);
		put_lower(&b, comm.full_name);
		set_buf(c, "xadp", &b);
		buf_printf(&b, "Đảng ủy ");
		put_lower(&b, comm.full_name);
		set_buf(c, "coso", &b);
		buf_puts(&b, "UBND ");
		put_lower(&b, comm.full_name);
		set_buf(c, "ubnd", &b);
		set(c, "dvcs", "đại diện lãnh đạo các đảng ủy xã, phường");
	} else {
		put_lower(&b, dist.full_name);
		set_buf(c, "dp", &b);
		put_lower(&b, comm.full_name);
		buf_puts(&b, ", ");
		put_lower(&b, dist.full_name);
		set_buf(c, "xadp", &b);
		buf_printf(&b, "%s %s", str_starts(dist.full_name, "Thị xã") ? "Thị ủy" : "Huyện ủy", dist.name);
		set_buf(c, "coso", &b);
		buf_puts(&b, "UBND ");
		put_lower(&b, dist.full_name);
		set_buf(c, "ubnd", &b);
		set(c, "dvcs", "lãnh đạo ban dân vận các huyện ủy, thị ủy, thành ủy trực thuộc");
	}
	set(c, "thon", hamlets[pick(g, ARRAY_LEN(hamlets))]);

	/* people */
	bool female;
	/* officials: the commission's head (tb) and deputy (pb), the standing
	 * deputy secretary (bt) and the secretary (bthu) of the provincial
	 * committee, the commune chairman (ct), a deputy head of the central
	 * commission (tw) — invented names */
	static const char *const officials[] = {"tb", "pb", "bt", "bthu", "ct", "tw"};
	for (size_t i = 0; i < ARRAY_LEN(officials); i++) {
		person_name(&b, g, NULL);
		set_buf(c, officials[i], &b);
	}
	buf_printf(&b, "Ủy viên Ban Thường vụ %s, Trưởng %s %s", uy, bn, uy);
	set_buf(c, "tbcv", &b);
	buf_printf(&b, "Phó Trưởng %s %s", bn, uy);
	set_buf(c, "pbcv", &b);
	buf_printf(&b, "Phó Bí thư Thường trực %s", uy);
	set_buf(c, "btcv", &b);
	buf_puts(&b, "Chủ tịch UBND ");
	put_lower(&b, comm.full_name);
	set_buf(c, "ctcv", &b);
	buf_printf(&b, "Phó Trưởng %s", bantw);
	set_buf(c, "twcv", &b);
	static const struct {
		const char *name, *title;
	} citizens[] = {{"dan1", "ong1"}, {"dan2", "ong2"}};
	for (size_t i = 0; i < ARRAY_LEN(citizens); i++) {
		person_name(&b, g, &female);
		set_buf(c, citizens[i].name, &b);
		set(c, citizens[i].title, female ? "bà" : "ông");
	}

	/* dates */
	int hour = 7 + pick(g, 9);
	set(c, "buoi", hour < 12 ? "sáng" : "chiều");
	buf_printf(&b, "%d/%d", d.d, d.m);
	set_buf(c, "dm", &b);
	buf_printf(&b, "%d", d.y);
	set_buf(c, "nam", &b);
	buf_printf(&b, "%d", d.y - 1);
	set_buf(c, "namtruoc", &b);
	buf_printf(&b, "%d", d.y + 1);
	set_buf(c, "namsau", &b);
	buf_printf(&b, "%d", d.y - 1930);
	set_buf(c, "namdv", &b);
	set(c, "nmt", buf_cstr(&b)); /* the Front was founded on 18/11/1930 too */
	buf_reset(&b);
	buf_printf(&b, "%d", d.y - 1999);
	set_buf(c, "ndv", &b);
	buf_printf(&b, "%d", d.y + 544);
	set_buf(c, "pl", &b);
	set(c, "canchi", canchi(d.m == 12 ? d.y + 1 : d.y)); /* the coming Tết's year */
	static const char *const roman[] = {"I", "II", "III", "IV"};
	int q = (d.m - 1) / 3; /* the quarter just ended */
	if (q == 0)
		buf_printf(&b, "IV/%d", d.y - 1);
	else
		buf_printf(&b, "%s/%d", roman[q - 1], d.y);
	set_buf(c, "q", &b);
	if (d.m == 1) {
		buf_printf(&b, "năm %d", d.y - 1);
		set_buf(c, "ky", &b);
		set(c, "kyhn", "tổng kết");
		buf_printf(&b, "năm %d", d.y);
		set_buf(c, "kytoi", &b);
	} else if (d.m == 12) {
		buf_printf(&b, "năm %d", d.y);
		set_buf(c, "ky", &b);
		set(c, "kyhn", "tổng kết");
		buf_printf(&b, "năm %d", d.y + 1);
		set_buf(c, "kytoi", &b);
	} else {
		buf_printf(&b, "6 tháng đầu năm %d", d.y);
		set_buf(c, "ky", &b);
		set(c, "kyhn", "sơ kết");
		buf_printf(&b, "6 tháng cuối năm %d", d.y);
		set_buf(c, "kytoi", &b);
	}

	/* the subject matter */
	const Model *m = &models[pick(g, ARRAY_LEN(models))];
	set(c, "mh", m->name);
	set(c, "mhvande", m->problem);
	set(c, "mhcach", m->action);
	set(c, "mhketqua", m->result);
	int t = pick(g, ARRAY_LEN(topics));
	set(c, "chude", topics[t][0]);
	set(c, "chude1", topics[t][1]);
	set(c, "chude2", topics[t][2]);
	int a = pick(g, ARRAY_LEN(audiences));
	set(c, "doituong", audiences[a][0]);
	set(c, "doituongy", audiences[a][1]);
	set(c, "duthao", drafts[pick(g, ARRAY_LEN(drafts))]);
	set(c, "congtrinh", works[pick(g, ARRAY_LEN(works))]);
	s->pagoda = pick_site(g, s, 'P');
	s->parish = pick_site(g, s, 'C');
	s->ethnic = pick_site(g, s, 'E');
	const char *pre_or_post;
	if (s->pagoda) {
		set(c, "chua", s->pagoda->name);
		pre_or_post = s->merged ? s->pagoda->after : s->pagoda->before;
		if (pre_or_post) {
			set(c, "chuanoi", pre_or_post);
		} else {
			put_lower(&b, pfull);
			set_buf(c, "chuanoi", &b);
		}
	}
	if (s->parish) {
		set(c, "xu", s->parish->name);
		pre_or_post = s->merged ? s->parish->after : s->parish->before;
		set(c, "xunoi", pre_or_post ? pre_or_post : "");
	}
	if (s->ethnic) {
		set(c, "dt", s->ethnic->name);
		pre_or_post = s->merged ? s->ethnic->after : s->ethnic->before;
		set(c, "dtnoi", pre_or_post ? pre_or_post : "");
	}
	unitish_free(&dist);
	unitish_free(&comm);
	free(pname);
	free(pfull);
	buf_release(&b);
	return RC_OK;
}

/* ==== the source article ==================================================== */

/* The regional briefing of the source document, retold from its facts:
 * the page is dated Saturday 22/6/2024, the briefing reviews the first six
 * months of 2020, as the text says. */
static const char source_title[] =
	"Giao ban công tác dân vận các tỉnh, thành phố khu vực đồng bằng sông Hồng";
static const char source_lead[] =
	"Hội nghị giao ban công tác dân vận 6 tháng đầu năm của 11 tỉnh, thành phố khu vực đồng bằng "
	"sông Hồng do đồng chí Nguyễn Phước Lộc, Phó Trưởng Ban Dân vận Trung ương và đồng chí Nguyễn "
	"Tiến Thành, Phó Bí thư Thường trực Tỉnh ủy Thái Bình chủ trì.";
static const char source_body[] =
	"[[hinh:1]]\n\n"
	"Tham dự Hội nghị có đại diện lãnh đạo các vụ, đơn vị của Ban Dân vận Trung ương; lãnh đạo tỉnh "
	"Thái Bình, lãnh đạo và chuyên viên Ban Dân vận Tỉnh ủy Thái Bình cùng lãnh đạo Ban Dân vận của "
	"10 tỉnh ủy, thành ủy trong khu vực.\n\n"
	"## Chuyển biến tích cực trong 6 tháng đầu năm\n\n"
	"Báo cáo tại Hội nghị cho thấy, trong 6 tháng đầu năm, công tác dân vận ở 11 tỉnh, thành phố khu "
	"vực đồng bằng sông Hồng tiếp tục chuyển biến và đạt kết quả tích cực. Cấp ủy đảng, chính quyền "
	"các cấp quan tâm hơn tới việc cụ thể hóa các chỉ thị, nghị quyết về công tác dân vận trong lãnh "
	"đạo, điều hành; việc người đứng đầu cấp ủy, chính quyền tiếp xúc, đối thoại trực tiếp với nhân "
	"dân được triển khai ở các cấp.\n\n"
	"Công tác dân vận của các cơ quan nhà nước được đẩy mạnh theo kế hoạch thực hiện “Năm dân vận "
	"khéo 2020”, trọng tâm là phòng, chống đại dịch Covid-19; thực hiện chức trách, đạo đức công vụ; "
	"giải quyết đơn thư khiếu nại, tố cáo của công dân; gắn với việc đưa các chủ trương, đường lối "
	"của Đảng về công tác dân vận vào hoạt động quản lý, điều hành.\n\n"
	"Mặt trận Tổ quốc và các đoàn thể nhân dân phát huy vai trò tuyên truyền, vận động nhân dân tích "
	"cực tham gia các phong trào, các cuộc vận động; thu hút đội ngũ trí thức, chức sắc tôn giáo, "
	"doanh nhân tham gia phát triển kinh tế - xã hội, xây dựng nông thôn mới, đô thị văn minh và giảm "
	"nghèo bền vững.\n\n"
	"[[hinh:2]]\n\n"
	"## Ý kiến của tỉnh chủ nhà\n\n"
	"Đồng chí Nguyễn Tiến Thành, Phó Bí thư Thường trực Tỉnh ủy Thái Bình, điểm lại một số kết quả "
	"kinh tế - xã hội nổi bật của tỉnh trong 6 tháng đầu năm 2020 và khẳng định hệ thống dân vận các "
	"cấp trong tỉnh đã đóng góp tích cực vào kết quả chung đó.\n\n"
	"Từ thực tiễn lãnh đạo, chỉ đạo công tác dân vận của tỉnh, đồng chí cho rằng để công tác dân vận "
	"đạt hiệu quả cần:\n\n"
	"- quán triệt, triển khai kịp thời, đầy đủ, nghiêm túc các nghị quyết, chỉ thị, quyết định, quy "
	"chế, quy định của Đảng về công tác dân vận;\n"
	"- tăng cường tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy đảng, chính quyền với nhân "
	"dân; kịp thời nắm bắt, giải quyết những nguyện vọng hợp pháp, chính đáng của người dân;\n"
	"- MTTQ và các tổ chức đoàn thể bám sát địa bàn, nắm chắc tình hình để tham mưu tổ chức các phong "
	"trào thi đua thiết thực, cụ thể, không hình thức, thu hút đông đảo quần chúng tham gia; nâng cao "
	"chất lượng giám sát, phản biện xã hội, vận động nhân dân tham gia xây dựng Đảng, chính quyền "
	"trong sạch, vững mạnh;\n"
	"- nâng cao chất lượng công tác tham mưu, bảo đảm “đúng, trúng, kịp thời”, hiệu quả, bám sát "
	"nhiệm vụ chính trị trọng tâm; khéo lựa chọn nội dung, khéo tuyên truyền, vận động và huy động "
	"nguồn lực, góp phần thực hiện thắng lợi nhiệm vụ phát triển kinh tế, văn hóa, xã hội của tỉnh.\n\n"
	"[[hinh:3]]\n\n"
	"Các đại biểu tập trung thảo luận những kết quả và hạn chế trong công tác dân vận chính quyền; "
	"việc cụ thể hóa chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước về công tác "
	"dân vận, công tác dân tộc, tôn giáo; từ đó rút ra bài học kinh nghiệm và đề xuất những giải pháp "
	"có tính đột phá cho công tác dân vận và phong trào thi đua “Dân vận khéo” thời gian tới.\n\n"
	"## Kết luận Hội nghị\n\n"
	"[[hinh:4]]\n\n"
	"Kết luận Hội nghị, đồng chí Nguyễn Phước Lộc, Phó Trưởng Ban Dân vận Trung ương lưu ý đại dịch "
	"Covid-19 vẫn diễn biến phức tạp ở nhiều nước, đặt ra nhiều thách thức cho đất nước. Vì vậy, cả "
	"nước nói chung và các tỉnh, thành phố khu vực đồng bằng sông Hồng nói riêng cần tiếp tục chú "
	"trọng tuyên truyền, vận động, tạo thêm điều kiện để các tầng lớp nhân dân và cộng đồng doanh "
	"nghiệp vừa phòng, chống dịch bệnh, vừa đẩy mạnh sản xuất, kinh doanh, phục hồi kinh tế, ổn định "
	"đời sống.\n\n"
	"Về nhiệm vụ thời gian tới, đồng chí đề nghị hệ thống dân vận các tỉnh, thành phố trong khu vực:\n\n"
	"- tích cực, chủ động nắm chắc tình hình nhân dân trước, trong và sau đại hội đảng bộ các cấp; "
	"tham mưu giải quyết hiệu quả những kiến nghị, đề xuất chính đáng, hợp pháp của nhân dân;\n"
	"- tiếp tục tham mưu cấp ủy lãnh đạo, chỉ đạo, đôn đốc, kiểm tra, giám sát các tổ chức đảng trong "
	"việc thực hiện các nghị quyết, chỉ thị, kết luận của Trung ương về công tác dân vận;\n"
	"- nắm bắt kịp thời tình hình những địa bàn có điểm nóng, điểm phức tạp để tham mưu cấp ủy biện "
	"pháp chỉ đạo giải quyết, nhất là về an ninh tôn giáo, vùng đồng bào dân tộc, an ninh nông thôn; "
	"khiếu nại, tố cáo liên quan đến đất đai, cơ sở thờ tự tôn giáo; truyền đạo trái pháp luật;\n"
	"- đẩy mạnh thực hiện Quy chế dân chủ ở cơ sở; tiếp tục chỉ đạo thực hiện hiệu quả phong trào thi "
	"đua “Dân vận khéo”;\n"
	"- hoàn thành các kế hoạch, chương trình công tác năm 2020; tổ chức tổng kết công tác dân vận, "
	"hoạt động của Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở, Ban Chỉ đạo công tác tôn giáo…; "
	"triển khai nhiệm vụ năm 2021.\n\n"
	"Đồng chí cũng đề nghị tham mưu cấp ủy tổ chức các hoạt động thiết thực kỷ niệm 90 năm Ngày "
	"truyền thống công tác dân vận của Đảng (15/10/1930 – 15/10/2020) và tiếp tục triển khai hiệu "
	"quả cuộc thi báo chí viết về tấm gương “Dân vận khéo” giai đoạn 2017 – 2020.";

static const FigureTpl source_figs[] = {
	{SC_HALL, "Quang cảnh Hội nghị",
	 "Quang cảnh hội nghị giao ban công tác dân vận các tỉnh, thành phố khu vực đồng bằng sông Hồng"},
	{SC_SPEAKER, "Đồng chí Nguyễn Tiến Thành phát biểu tại Hội nghị",
	 "Đồng chí Nguyễn Tiến Thành, Phó Bí thư Thường trực Tỉnh ủy Thái Bình, phát biểu tại bục"},
	{SC_SPEAKER, "Đồng chí Nguyễn Đức Toàn, UVBTV, Trưởng Ban Dân vận Tỉnh ủy Hà Nam phát biểu tại Hội nghị",
	 "Đồng chí Nguyễn Đức Toàn, Trưởng Ban Dân vận Tỉnh ủy Hà Nam, phát biểu tại bục"},
	{SC_SPEAKER, "Đồng chí Nguyễn Phước Lộc phát biểu kết luận Hội nghị",
	 "Đồng chí Nguyễn Phước Lộc, Phó Trưởng Ban Dân vận Trung ương, phát biểu kết luận tại bục"},
};

/* ==== making articles ========================================================= */

typedef struct Maker {
	Db *db;
	Rng g;
	Ctx ctx;
	int64_t now;                /* the real clock when the demo started */
	Principal admin;
	Principal leaders[ARRAY_LEN(provinces_2025)];
	bool have_leader[ARRAY_LEN(provinces_2025)];
	char **titles;
	size_t ntitles;
	long feedback_serial;
	bool spam_done;
	int cases_made;
	bool can_convert;           /* the vault is set up: feedback can become cases */
	Buf title, lead, body, tags, caption, alt;
} Maker;

static Rc principal_of(Db *db, const char *login, Principal *out)
{
	int64_t id;
	Rc rc = user_find_login(db, login, &id);
	if (!rc)
		rc = user_principal(db, id, out);
	return rc;
}

static Rc leader_for(Maker *mk, const char *code, const Principal **who)
{
	for (size_t i = 0; i < ARRAY_LEN(provinces_2025); i++) {
		if (!str_eq(provinces_2025[i].code, code))
			continue;
		if (!mk->have_leader[i]) {
			Buf login = BUF_INIT;
			buf_printf(&login, "%s.leader", provinces_2025[i].slug);
			Rc rc = principal_of(mk->db, buf_cstr(&login), &mk->leaders[i]);
			buf_release(&login);
			if (rc)
				return rc;
			mk->have_leader[i] = true;
		}
		*who = &mk->leaders[i];
		return RC_OK;
	}
	return RC_NOT_FOUND;
}

static int64_t category_id(Db *db, const char *slug)
{
	int64_t id = 0;
	if (db_get_int(db, &id, "SELECT id FROM category WHERE slug = ?", "t", slug))
		return 0;
	return id;
}

static bool title_used(Maker *mk, const char *t)
{
	for (size_t i = 0; i < mk->ntitles; i++)
		if (str_eq(mk->titles[i], t))
			return true;
	return false;
}

static void title_remember(Maker *mk, const char *t)
{
	mk->titles = xrealloc(mk->titles, (mk->ntitles + 1) * sizeof *mk->titles);
	mk->titles[mk->ntitles++] = xstrdup(t);
}

/* Draw, process and attach one figure. */
static Rc add_figure(Maker *mk, const Principal *who, int64_t article, Scene sc,
		     const char *caption, const char *alt)
{
	size_t len = 0;
	void *jpeg = picture(&mk->g, sc, &len);
	if (!jpeg) {
		fprintf(stderr, "demo: drawing a figure failed: %s\n", vips_error_buffer());
		vips_error_clear();
		return RC_INTERNAL;
	}
	ImageProcessed p;
	const char *problem = NULL;
	Rc rc = image_process(jpeg, len, &p, &problem);
	g_free(jpeg);
	if (rc) {
		fprintf(stderr, "demo: a figure was refused: %s\n", problem ? problem : rc_name(rc));
		return rc;
	}
	int64_t id;
	rc = image_store(mk->db, who, article, &p, caption, alt, &id, &problem);
	if (rc && problem)
		fprintf(stderr, "demo: storing a figure failed: %s\n", problem);
	image_processed_release(&p);
	return rc;
}

/* Readers' views: one lump for the past, then day by day over the last
 * 30 days, so "most viewed" has something to show for 7 and 30 days. */
static Rc add_views(Maker *mk, int64_t id, int64_t published, int popularity)
{
	int64_t today = date_to_days(date_vn_from_unix(mk->now));
	int64_t pub_day = date_to_days(date_vn_from_unix(published));
	int64_t recent_from = today - 30;
	int64_t total = popularity;
	Rc rc = RC_OK;
	if (pub_day < recent_from) {
		util_set_clock(vn_time(pub_day + 2, 20, 0));
		rc = article_views_flush(mk->db, &id, &total, 1);
	}
	for (int64_t d = pub_day < recent_from ? recent_from : pub_day; !rc && d < today; d++) {
		int64_t age = d - pub_day;
		int64_t n = age < 0 ? 0 : popularity / (2 + age * 2) + pick(&mk->g, 6);
		if (pub_day < recent_from)
			n = pick(&mk->g, 4) == 0 ? 1 + pick(&mk->g, popularity / 200 + 2) : 0;
		if (n <= 0)
			continue;
		util_set_clock(vn_time(d, 21, 0));
		rc = article_views_flush(mk->db, &id, &n, 1);
	}
	return rc;
}

/* A few readers' comments on a public article, each moderated (or not
 * yet) the way a newsroom would. */
static Rc add_feedback(Maker *mk, const Principal *moderator, int64_t id, int64_t published,
		       int how_many)
{
	Rc rc = RC_OK;
	Buf name = BUF_INIT, content = BUF_INIT, email = BUF_INIT, phone = BUF_INIT,
	    address = BUF_INIT, client = BUF_INIT;
	int64_t at = published;
	for (int i = 0; !rc && i < how_many; i++) {
		at += 1800 + pick(&mk->g, 3 * 86400);
		if (at > mk->now - 600)
			break;
		int k;
		do
			k = pick(&mk->g, ARRAY_LEN(feedback_texts));
		while (feedback_texts[k].kind == 'R' && chance(&mk->g, 60));
		char kind = feedback_texts[k].kind;
		expand(&content, feedback_texts[k].content, &mk->ctx);
		buf_reset(&name);
		bool female;
		person_name(&name, &mk->g, &female);
		buf_reset(&email);
		buf_reset(&phone);
		buf_reset(&address);
		if (kind == 'P' || chance(&mk->g, 40)) {
			char *ascii = text_slug(buf_cstr(&name), 40);
			for (char *p = ascii; *p; p++)
				if (*p == '-')
					*p = '.';
			buf_printf(&email, "%s%ld@example.vn", ascii, mk->feedback_serial % 97);
			free(ascii);
		}
		if (kind == 'P' || chance(&mk->g, 30))
			buf_printf(&phone, "09%d%d %03d %03d", pick(&mk->g, 10), pick(&mk->g, 10),
				   pick(&mk->g, 1000), pick(&mk->g, 1000));
		if (kind == 'P')
			expand(&address, "{$thon}, {$xadp}", &mk->ctx);
		buf_reset(&client);
		mk->feedback_serial++;
		buf_printf(&client, "198.51.%ld.%ld", 100 + mk->feedback_serial / 250,
			   1 + mk->feedback_serial % 250);
		/* one submission, somewhere in the middle, comes from a robot */
		bool spam = !mk->spam_done && mk->feedback_serial > 40;
		FeedbackInput in = {
			.name = spam ? "Dịch vụ SEO giá rẻ" : buf_cstr(&name),
			.email = spam ? "seo@example.com" : buf_cstr(&email),
			.phone = spam ? "" : buf_cstr(&phone),
			.address = spam ? "" : buf_cstr(&address),
			.content = spam ? "Tăng lượt xem, lượt thích cho trang của bạn, giá rẻ, uy tín: https://example.com/seo"
					: buf_cstr(&content),
			.honeypot = spam ? "https://example.com" : "",
			.client = buf_cstr(&client),
		};
		util_set_clock(at);
		int64_t fid = 0;
		const char *problem = NULL;
		rc = feedback_submit(mk->db, id, &in, &fid, &problem);
		if (rc) {
			fprintf(stderr, "demo: feedback refused: %s (%s)\n", rc_name(rc),
				problem ? problem : db_errmsg(mk->db));
			break;
		}
		if (spam) {
			mk->spam_done = true;
			continue;
		}
		/* moderated within a few hours to two days, if that is already past:
		 * what arrived in the last five days is still waiting */
		int64_t decided = at + 3600 + pick(&mk->g, 2 * 86400);
		if (decided > mk->now - 5 * 86400)
			continue;
		util_set_clock(decided);
		/* a petition in all but name becomes a citizen's case now and then
		 * (and is then published as feedback, like the others) */
		if (kind == 'P' && mk->can_convert && mk->cases_made < 4 && chance(&mk->g, 40)) {
			CaseCreated made;
			rc = feedback_to_case(mk->db, moderator, fid, &made, &problem);
			if (rc) {
				fprintf(stderr, "demo: feedback to case failed: %s (%s)\n", rc_name(rc),
					problem ? problem : db_errmsg(mk->db));
				break;
			}
			mk->cases_made++;
		}
		const char *decision = kind == 'R' ? "reject" : chance(&mk->g, 95) ? "approve" : "reject";
		rc = feedback_moderate(mk->db, moderator, fid, decision);
	}
	buf_release(&name);
	buf_release(&content);
	buf_release(&email);
	buf_release(&phone);
	buf_release(&address);
	buf_release(&client);
	return rc;
}

typedef enum Fate { FATE_PUBLIC, FATE_DRAFT, FATE_REVIEW, FATE_SCHEDULED } Fate;

/* Write, illustrate and (per fate) publish one article; *id its id. */
static Rc write_article(Maker *mk, const Principal *who, const char *category, const char *title,
			const char *lead, const char *body, const char *author, const char *tags,
			const FigureTpl *figs, size_t nfigs, bool expand_figs, bool featured,
			int64_t publish_at, Fate fate, int64_t *id)
{
	ArticleInput in = {
		.title = title, .lead = lead, .body = body, .author = author,
		.category_id = category_id(mk->db, category), .tags = tags, .featured = featured,
	};
	const char *problem = NULL;
	/* every figure is placed in the body, once (a template's promise) */
	size_t markers = 0;
	for (const char *p = strstr(body, "[[hinh:"); p; p = strstr(p + 1, "[[hinh:"))
		markers++;
	if (markers != nfigs) {
		fprintf(stderr, "demo: \"%s\" places %zu of its %zu figures\n", title, markers, nfigs);
		return RC_INTERNAL;
	}
	util_set_clock(fate == FATE_PUBLIC ? publish_at - 3600 - pick(&mk->g, 5400) : publish_at);
	Rc rc = article_create(mk->db, who, &in, id, &problem);
	if (rc) {
		fprintf(stderr, "demo: article \"%s\" refused: %s (%s)\n", title, rc_name(rc),
			problem ? problem : db_errmsg(mk->db));
		return rc;
	}
	for (size_t i = 0; !rc && i < nfigs; i++) {
		if (expand_figs) {
			expand(&mk->caption, figs[i].caption, &mk->ctx);
			expand(&mk->alt, figs[i].alt, &mk->ctx);
		} else {
			buf_reset(&mk->caption);
			buf_reset(&mk->alt);
			buf_puts(&mk->caption, figs[i].caption);
			buf_puts(&mk->alt, figs[i].alt);
		}
		rc = add_figure(mk, who, *id, figs[i].scene, buf_cstr(&mk->caption), buf_cstr(&mk->alt));
	}
	if (rc)
		return rc;
	switch (fate) {
	case FATE_PUBLIC:
		util_set_clock(publish_at);
		return article_transition(mk->db, who, *id, "publish", 0);
	case FATE_REVIEW:
		return article_transition(mk->db, who, *id, "submit", 0);
	case FATE_SCHEDULED:
		util_set_clock(0);
		return article_transition(mk->db, who, *id, "publish", mk->now + 2 * 86400 + 3 * 3600);
	case FATE_DRAFT:
		break;
	}
	return RC_OK;
}

static const char *byline(Maker *mk, const char *ban)
{
	static char out[200];
	const char *name = bylines[pick(&mk->g, ARRAY_LEN(bylines))];
	if (chance(&mk->g, 30))
		xsnprintf(out, sizeof out, "%s (%s)", name, ban);
	else
		xsnprintf(out, sizeof out, "%s", name);
	return out;
}

static int template_figures(const Tpl *t)
{
	int n = 0;
	while (n < 3 && t->figs[n].caption)
		n++;
	return n;
}

/* Tết (lunar new year) and Buddha's birthday, as day numbers. */
static const int tet_days[][3] = {{2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6}, {2028, 1, 26}};
static const int vesak_days[][3] = {{2024, 5, 22}, {2025, 5, 12}, {2026, 5, 31}, {2027, 5, 20}};

static bool near(const int table[][3], size_t n, int64_t day, int before, int after)
{
	for (size_t i = 0; i < n; i++) {
		int64_t t = day_of(table[i][0], table[i][1], table[i][2]);
		if (day >= t - before && day <= t + after)
			return true;
	}
	return false;
}

static bool within(Date d, int m1, int d1, int m2, int d2)
{
	int v = d.m * 100 + d.d, a = m1 * 100 + d1, b = m2 * 100 + d2;
	return a <= b ? v >= a && v <= b : v >= a || v <= b; /* b < a: across the new year */
}

static bool season_ok(unsigned season, int64_t day)
{
	if (season == S_ANY)
		return true;
	Date d = date_from_days(day);
	return ((season & S_HALFYEAR) && within(d, 6, 10, 7, 20)) ||
	       ((season & S_YEAREND) && within(d, 12, 10, 1, 25)) ||
	       ((season & S_QUARTER) && (d.m - 1) % 3 == 0 && d.d <= 25) ||
	       ((season & S_DANVAN) && within(d, 10, 1, 10, 15)) ||
	       ((season & S_DDK) && within(d, 11, 1, 11, 18)) ||
	       ((season & S_XMAS) && within(d, 12, 15, 12, 25)) ||
	       ((season & S_VESAK) && near(vesak_days, ARRAY_LEN(vesak_days), day, 10, 0)) ||
	       ((season & S_TET) && near(tet_days, ARRAY_LEN(tet_days), day, 30, 12)) ||
	       ((season & S_BEFORE_TET) && near(tet_days, ARRAY_LEN(tet_days), day, 25, -2)) ||
	       ((season & S_SUMMER) && within(d, 6, 10, 8, 20)) ||
	       ((season & S_AUTUMN) && within(d, 9, 1, 12, 20)) ||
	       ((season & S_YEARSTART) && within(d, 1, 5, 3, 31));
}

/* The share of each category in the news (per cent). */
static const struct {
	const char *slug;
	int share;
} category_shares[] = {
	{"hoi-nghi", 25}, {"dan-van-kheo", 22}, {"dan-chu-co-so", 18},
	{"ton-giao-dan-toc", 14}, {"dao-tao-boi-duong", 12}, {"tin-dia-phuong", 9},
};

static bool fits(const Tpl *t, const Story *s)
{
	return season_ok(t->season, s->day) && !((t->need & NEED_PAGODA) && !s->pagoda) &&
	       !((t->need & NEED_PARISH) && !s->parish) && !((t->need & NEED_ETHNIC) && !s->ethnic) &&
	       !((t->need & NEED_MERGED) && !s->merged);
}

/* Choose a category by its share, then a template of it that fits the
 * story (season, place) and tells something not told yet (its key and
 * title unused); fill title, lead, body and tags.  NULL if none fits. */
static const Tpl *choose(Maker *mk, Story *s)
{
	Buf key = BUF_INIT;
	const Tpl *found = NULL;
	for (int tries = 0; tries < TITLE_TRIES && !found; tries++) {
		int w = pick(&mk->g, 100);
		size_t c = 0;
		while (c + 1 < ARRAY_LEN(category_shares) && w >= category_shares[c].share)
			w -= category_shares[c++].share;
		const Tpl *fit[ARRAY_LEN(templates)];
		int weights[ARRAY_LEN(templates)], total = 0, n = 0;
		for (size_t i = 0; i < ARRAY_LEN(templates); i++) {
			const Tpl *t = &templates[i];
			if (!str_eq(t->category, category_shares[c].slug) || !fits(t, s))
				continue;
			/* a seasonal story is much likelier in its season */
			fit[n] = t;
			weights[n] = t->weight * (t->season ? 4 : 1);
			total += weights[n++];
		}
		if (!n)
			continue;
		int v = pick(&mk->g, total), k = 0;
		while (v >= weights[k])
			v -= weights[k++];
		const Tpl *t = fit[k];
		expand(&mk->title, t->title, &mk->ctx);
		buf_reset(&key);
		buf_printf(&key, "%d:", (int)(t - templates));
		Buf part = BUF_INIT;
		expand(&part, t->key ? t->key : t->title, &mk->ctx);
		buf_puts(&key, buf_cstr(&part));
		buf_release(&part);
		if (title_used(mk, buf_cstr(&mk->title)) || title_used(mk, buf_cstr(&key)))
			continue;
		expand(&mk->lead, t->lead, &mk->ctx);
		expand(&mk->body, t->body, &mk->ctx);
		expand(&mk->tags, t->tags, &mk->ctx);
		if (mk->ctx.missing)
			break;
		title_remember(mk, buf_cstr(&mk->title));
		title_remember(mk, buf_cstr(&key));
		found = t;
	}
	buf_release(&key);
	return found;
}

static Rc make_source_article(Maker *mk, long *made)
{
	int64_t day = day_of(2024, 6, 22);
	int64_t at = vn_time(day, 9, 15);
	int64_t id;
	Rc rc = write_article(mk, &mk->admin, "hoi-nghi", source_title, source_lead, source_body,
			      "Hoàng Phong", "Giao ban, Đồng bằng sông Hồng, Dân vận khéo, Thái Bình",
			      source_figs, ARRAY_LEN(source_figs), false, true, at, FATE_PUBLIC, &id);
	if (rc)
		return rc;
	title_remember(mk, source_title);
	(*made)++;
	/* the feedback on it speaks of Thái Bình */
	Story s = {.day = day, .merged = false, .code = "34"};
	ctx_clear(&mk->ctx);
	if ((rc = story_context(mk->db, &mk->ctx, &s)))
		return rc;
	if ((rc = add_feedback(mk, &mk->admin, id, at, 4)))
		return rc;
	return add_views(mk, id, at, 2400);
}

/* One generated article on `day`; fate decides whether it is public. */
static Rc make_article(Maker *mk, int64_t day, Fate fate, bool featured, long *made)
{
	Rng *g = &mk->g;
	Story s = {.day = day, .merged = day >= day_of(2025, 7, 1)};
	if (s.merged) {
		int total = 0;
		for (size_t i = 0; i < ARRAY_LEN(provinces_2025); i++)
			total += provinces_2025[i].weight;
		int w = pick(g, total);
		size_t i = 0;
		while (w >= provinces_2025[i].weight)
			w -= provinces_2025[i++].weight;
		s.code = provinces_2025[i].code;
	} else {
		int total = 0;
		for (size_t i = 0; i < ARRAY_LEN(provinces_2020); i++)
			total += provinces_2020[i].weight;
		int w = pick(g, total);
		size_t i = 0;
		while (w >= provinces_2020[i].weight)
			w -= provinces_2020[i++].weight;
		s.code = provinces_2020[i].old;
	}
	ctx_clear(&mk->ctx);
	Rc rc = story_context(mk->db, &mk->ctx, &s);
	if (rc)
		return rc;
	const Tpl *t = choose(mk, &s);
	if (!t) {
		if (mk->ctx.missing) {
			fprintf(stderr, "demo: %s\n", mk->ctx.missing);
			return RC_INTERNAL;
		}
		return RC_OK; /* nothing new to say that day: skip it */
	}
	/* the central commission writes its own stories, a province's
	 * commission (its leader publishes) the others */
	const Principal *who = &mk->admin;
	const char *ban = (t->need & NEED_CENTRAL) ? get(&mk->ctx, "bantw", 5) : get(&mk->ctx, "ban", 3);
	if (!(t->need & NEED_CENTRAL) && (rc = leader_for(mk, s.merged ? s.code : successor(s.code), &who)))
		return rc;
	int hour = 9 + pick(g, 10);
	int64_t at = vn_time(day + (hour > 15 ? 0 : pick(g, 2)), hour, pick(g, 60));
	if (fate == FATE_PUBLIC && at > mk->now - 3600)
		at = mk->now - 3600 - pick(g, 3600);
	if (fate != FATE_PUBLIC)
		at = mk->now - 86400 * (1 + pick(g, 5));
	int64_t id;
	rc = write_article(mk, who, t->category, buf_cstr(&mk->title), buf_cstr(&mk->lead),
			   buf_cstr(&mk->body), byline(mk, ban), buf_cstr(&mk->tags), t->figs,
			   (size_t)template_figures(t), true, featured, at, fate, &id);
	if (rc)
		return rc;
	(*made)++;
	if (fate != FATE_PUBLIC)
		return RC_OK;
	/* readers write under most articles, and always under the latest */
	bool recent = at > mk->now - 14 * 86400;
	if ((recent || chance(g, 60)) && (rc = add_feedback(mk, who, id, at, recent ? 2 + pick(g, 3) : 1 + pick(g, 4))))
		return rc;
	return add_views(mk, id, at, (featured ? 1500 : 120) + pick(g, 1400));
}

Rc demo_articles(Db *db, int count, void (*progress)(const char *what, long done, long total),
		 long *made)
{
	*made = 0;
	if (count <= 0)
		return RC_OK;
	if (VIPS_INIT("danvan")) {
		fprintf(stderr, "demo: libvips failed to start: %s\n", vips_error_buffer());
		return RC_INTERNAL;
	}
	Maker mk;
	memset(&mk, 0, sizeof mk);
	mk.db = db;
	mk.g.s = 0x5851f42d4c957f2dULL;
	mk.ctx.g = &mk.g;
	mk.now = util_now();
	Rc rc = principal_of(db, "admin", &mk.admin);
	if (rc)
		return rc;
	mk.can_convert = vault_ready(db);

	/* The non-public ones (drafts, one in review, one scheduled) are part
	 * of the count; so is the source article. */
	int special = count >= 20 ? 5 : 0;
	int pub = count - 1 - special;
	int64_t today = date_to_days(date_vn_from_unix(mk.now));
	static const int featured_back[] = {2, 9, 17, 26}; /* indexes from the newest */
	long done = 0;
	rc = db_begin_write(db);
	if (!rc)
		rc = make_source_article(&mk, made);
	for (int i = 0; !rc && i < pub + special; i++) {
		Fate fate = i < pub ? FATE_PUBLIC : i == pub ? FATE_SCHEDULED : i == pub + 1 ? FATE_REVIEW
											  : FATE_DRAFT;
		int64_t day = today - 1;
		bool featured = false;
		if (fate == FATE_PUBLIC) {
			day = today - SPAN_DAYS + (int64_t)i * (SPAN_DAYS - 1) / (pub > 1 ? pub : 1) + pick(&mk.g, 3);
			if (day >= today)
				day = today - 1;
			if (date_weekday(date_from_days(day)) == 0 && day + 1 < today)
				day++; /* not on Sundays */
			for (size_t f = 0; f < ARRAY_LEN(featured_back); f++)
				featured |= pub - 1 - i == featured_back[f];
		}
		long before = *made;
		rc = make_article(&mk, day, fate, featured, made);
		if (!rc && *made == before && fate == FATE_PUBLIC && i > 0)
			rc = make_article(&mk, day - 1, fate, featured, made); /* another day, another story */
		done++;
		if (!rc && done % BATCH == 0) {
			util_set_clock(0);
			rc = db_commit(db);
			if (!rc)
				rc = db_begin_write(db);
			if (progress)
				progress("demo articles", done, pub + special);
		}
	}
	util_set_clock(0);
	if (!rc)
		rc = db_commit(db);
	if (rc && db_in_tx(db))
		db_rollback(db);
	grain_release();
	if (!rc && progress)
		progress("demo articles", pub + special, pub + special);
	ctx_clear(&mk.ctx);
	for (size_t i = 0; i < mk.ntitles; i++)
		free(mk.titles[i]);
	free(mk.titles);
	buf_release(&mk.title);
	buf_release(&mk.lead);
	buf_release(&mk.body);
	buf_release(&mk.tags);
	buf_release(&mk.caption);
	buf_release(&mk.alt);
	return rc;
}
