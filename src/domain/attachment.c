/*
 * attachment.c — files attached to a case (see attachment.h).
 *
 * What a file is, is decided here from its bytes alone.  The name and the
 * Content-Type a browser declares are whatever the sender wants them to
 * be, so neither is ever trusted: a file is stored only when its magic
 * bytes say it is one of the allowed kinds, and the type recorded is the
 * sniffed one.  The download page serves that type with nosniff and
 * "Content-Disposition: attachment", so even a polyglot (a PDF that is
 * also HTML) is never rendered by the browser as a page of this site.
 *
 * Office files need a look inside:
 *  - OOXML is a ZIP.  We read its central directory (never decompress, so
 *    a ZIP bomb costs nothing) and want "[Content_Types].xml" plus the
 *    main part of a document, workbook or presentation.  A plain ZIP, a
 *    JAR or an APK is refused, and so is a macro-enabled file
 *    (vbaProject.bin): citizens send letters and tables, not programs.
 *  - Legacy Office is an OLE compound file.  We walk its directory chain
 *    through the FAT and want a "WordDocument", "Workbook"/"Book" or
 *    "PowerPoint Document" stream; "Macros" / "_VBA_PROJECT_CUR" storages
 *    are refused for the same reason.  Encrypted documents (an
 *    "EncryptedPackage" stream only) are refused: nobody could read them.
 * Every offset read from the file is bounds-checked against its length,
 * and every walk has an iteration cap.
 *
 * Names are for display only: attachment_clean_name strips path parts
 * and anything that could break a header, an attribute or the reader's
 * eye (controls, quotes, bidirectional overrides that make "gpj.exe"
 * read as "exe.jpg").
 */
#include "attachment.h"
#include "../base/crypto.h"
#include "../base/text.h"

/* ---- little-endian readers, bounds-checked by the callers ---------------- */

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static bool starts(const unsigned char *d, size_t n, const void *magic, size_t m)
{
	return n >= m && memcmp(d, magic, m) == 0;
}

/* ---- OOXML (ZIP) ---------------------------------------------------------- */

#define ZIP_MAX_ENTRIES 5000

typedef struct ZipSeen {
	bool content_types, word, xl, ppt, macros;
} ZipSeen;

static bool name_is(const unsigned char *name, size_t n, const char *want)
{
	size_t w = strlen(want);
	return n == w && memcmp(name, want, w) == 0;
}

static bool name_ends(const unsigned char *name, size_t n, const char *tail)
{
	size_t t = strlen(tail);
	return n >= t && memcmp(name + n - t, tail, t) == 0;
}

static void zip_note(ZipSeen *s, const unsigned char *name, size_t n)
{
	if (name_is(name, n, "[Content_Types].xml"))
		s->content_types = true;
	else if (name_is(name, n, "word/document.xml"))
		s->word = true;
	else if (name_is(name, n, "xl/workbook.xml"))
		s->xl = true;
	else if (name_is(name, n, "ppt/presentation.xml"))
		s->ppt = true;
	if (name_ends(name, n, "vbaProject.bin") || name_ends(name, n, "vbaData.xml"))
		s->macros = true;
}

/* The End Of Central Directory record: the last 22+ bytes, after which
 * only a comment of ≤ 65535 bytes may follow. */
static bool zip_eocd(const unsigned char *d, size_t n, size_t *at)
{
	if (n < 22)
		return false;
	size_t lowest = n > 22 + 65535 ? n - 22 - 65535 : 0;
	for (size_t i = n - 22 + 1; i-- > lowest;) {
		if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] == 5 && d[i + 3] == 6) {
			*at = i;
			return true;
		}
	}
	return false;
}

static const char *sniff_ooxml(const unsigned char *d, size_t n)
{
	size_t eocd;
	if (!zip_eocd(d, n, &eocd))
		return NULL;
	uint16_t entries = le16(d + eocd + 10);
	uint32_t cd_size = le32(d + eocd + 12);
	uint32_t cd_off = le32(d + eocd + 16);
	/* ZIP64 markers: a 5 MiB document never needs them. */
	if (cd_off == 0xFFFFFFFFu || entries == 0xFFFF || (size_t)cd_off > eocd ||
	    (size_t)cd_size > eocd - cd_off)
		return NULL;
	ZipSeen seen = {0};
	size_t p = cd_off;
	for (unsigned i = 0; i < entries && i < ZIP_MAX_ENTRIES; i++) {
		if (p + 46 > eocd || le32(d + p) != 0x02014b50u)
			return NULL;
		size_t name_len = le16(d + p + 28);
		size_t extra_len = le16(d + p + 30);
		size_t comment_len = le16(d + p + 32);
		if (p + 46 + name_len > eocd)
			return NULL;
		zip_note(&seen, d + p + 46, name_len);
		p += 46 + name_len + extra_len + comment_len;
	}
	if (!seen.content_types || seen.macros)
		return NULL;
	if (seen.word)
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	if (seen.xl)
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	if (seen.ppt)
		return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
	return NULL;
}

/* ---- legacy Office (OLE compound file) ----------------------------------- */

#define CFB_END_OF_CHAIN 0xFFFFFFFEu
#define CFB_MAX_DIR_SECTORS 256
#define CFB_DIFAT_IN_HEADER 109

typedef struct Cfb {
	const unsigned char *d;
	size_t n;
	unsigned shift;   /* sector size = 1 << shift */
} Cfb;

/* Start of sector `s`, or NULL when it lies outside the file. */
static const unsigned char *cfb_sector(const Cfb *c, uint32_t s)
{
	size_t size = (size_t)1 << c->shift;
	if (s >= 0xFFFFFFFAu)
		return NULL;
	size_t off = ((size_t)s + 1) << c->shift;
	if (off < size || off > c->n || c->n - off < size)
		return NULL;
	return c->d + off;
}

/* The FAT entry of sector `s` (the next sector of its chain), using the
 * 109 FAT locations of the header; files needing more are > 6 MiB. */
static bool cfb_next(const Cfb *c, uint32_t s, uint32_t *next)
{
	size_t per = ((size_t)1 << c->shift) / 4;
	size_t idx = s / per;
	if (idx >= CFB_DIFAT_IN_HEADER)
		return false;
	const unsigned char *fat = cfb_sector(c, le32(c->d + 0x4C + 4 * idx));
	if (!fat)
		return false;
	*next = le32(fat + 4 * (s % per));
	return true;
}

/* A directory entry's name (UTF-16LE) as ASCII; false if it is not. */
static bool cfb_name(const unsigned char *e, char out[33])
{
	size_t bytes = le16(e + 0x40);
	if (bytes < 2 || bytes > 64 || bytes % 2)
		return false;
	size_t chars = bytes / 2 - 1;
	for (size_t i = 0; i < chars; i++) {
		uint16_t ch = le16(e + 2 * i);
		if (ch == 0 || ch > 0x7E)
			return false;
		out[i] = (char)ch;
	}
	out[chars] = 0;
	return true;
}

typedef struct CfbSeen {
	bool word, excel, powerpoint, macros;
} CfbSeen;

static void cfb_note(CfbSeen *s, const char *name)
{
	if (str_eq(name, "WordDocument"))
		s->word = true;
	else if (str_eq(name, "Workbook") || str_eq(name, "Book"))
		s->excel = true;
	else if (str_eq(name, "PowerPoint Document"))
		s->powerpoint = true;
	else if (str_eq(name, "Macros") || str_eq(name, "_VBA_PROJECT_CUR") || str_eq(name, "VBA"))
		s->macros = true;
}

static const char *sniff_cfb(const unsigned char *d, size_t n)
{
	static const unsigned char sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	if (!starts(d, n, sig, 8) || n < 512)
		return NULL;
	Cfb c = {d, n, le16(d + 0x1E)};
	if (c.shift != 9 && c.shift != 12)
		return NULL;
	CfbSeen seen = {0};
	size_t entry_count = ((size_t)1 << c.shift) / 128;
	uint32_t s = le32(d + 0x30);
	for (int walked = 0; s != CFB_END_OF_CHAIN; walked++) {
		const unsigned char *sec = cfb_sector(&c, s);
		if (!sec || walked >= CFB_MAX_DIR_SECTORS)
			return NULL;
		for (size_t i = 0; i < entry_count; i++) {
			char name[33];
			const unsigned char *e = sec + 128 * i;
			if (e[0x42] != 0 && cfb_name(e, name))
				cfb_note(&seen, name);
		}
		if (!cfb_next(&c, s, &s))
			return NULL;
	}
	if (seen.macros)
		return NULL;
	if (seen.word)
		return "application/msword";
	if (seen.excel)
		return "application/vnd.ms-excel";
	if (seen.powerpoint)
		return "application/vnd.ms-powerpoint";
	return NULL;
}

/* ---- the table ------------------------------------------------------------ */

const char *attachment_sniff(const unsigned char *d, size_t n)
{
	if (!d)
		return NULL;
	if (starts(d, n, "\xFF\xD8\xFF", 3))
		return "image/jpeg";
	if (starts(d, n, "\x89PNG\r\n\x1A\n", 8) && n >= 16 && memcmp(d + 12, "IHDR", 4) == 0)
		return "image/png";
	if (starts(d, n, "GIF87a", 6) || starts(d, n, "GIF89a", 6))
		return "image/gif";
	if (starts(d, n, "RIFF", 4) && n >= 16 && memcmp(d + 8, "WEBPVP8", 7) == 0)
		return "image/webp";
	if (starts(d, n, "%PDF-", 5))
		return "application/pdf";
	if (starts(d, n, "PK\x03\x04", 4))
		return sniff_ooxml(d, n);
	return sniff_cfb(d, n);
}

/* ---- names ---------------------------------------------------------------- */

#define NAME_MAX_BYTES 120
#define NAME_FALLBACK "attachment"

/* Length of the UTF-8 sequence at s (of at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 :
		     (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (!len || len > n || !text_utf8_valid((const char *)s, len))
		return 0;
	return len;
}

/* Code points that hide or reorder what a reader sees: bidirectional
 * marks, embeddings, overrides and isolates, zero-width characters and
 * the byte-order mark. */
static bool invisible(const unsigned char *s, size_t len)
{
	if (len == 2 && s[0] == 0xC2 && s[1] < 0xA0)
		return true; /* C1 controls U+0080–U+009F */
	if (len != 3)
		return false;
	uint32_t cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029;
}

/* Characters that are fine in a display name but not in a header, an
 * attribute or a file name on the reader's computer. */
static bool unsafe_ascii(unsigned char c)
{
	return c < 0x20 || c == 0x7F || strchr("\"'`<>:*?|;\\/%", c) != NULL;
}

char *attachment_clean_name(const char *name)
{
	const char *base = name ? name : "";
	/* Only the last path component: browsers on Windows used to send
	 * "C:\Users\…\đơn.pdf". */
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	Buf b = BUF_INIT;
	const unsigned char *s = (const unsigned char *)base;
	size_t n = strlen(base);
	for (size_t i = 0; i < n;) {
		size_t len = utf8_seq(s + i, n - i);
		if (!len) {
			len = 1;
			buf_putc(&b, '_');
		} else if (len == 1 ? unsafe_ascii(s[i]) : invisible(s + i, len)) {
			buf_putc(&b, '_');
		} else if (b.len + len > NAME_MAX_BYTES) {
			break; /* cut between characters, never inside one */
		} else {
			buf_append(&b, s + i, len);
		}
		i += len;
		if (b.len >= NAME_MAX_BYTES)
			break;
	}
	char *out = buf_detach(&b, NULL);
	text_trim(out);
	/* No hidden files, no "." or "..": a leading dot becomes '_'. */
	if (out[0] == '.')
		out[0] = '_';
	if (!out[0] || strspn(out, "_ ") == strlen(out)) {
		free(out);
		return xstrdup(NAME_FALLBACK);
	}
	return out;
}

/* ---- storage -------------------------------------------------------------- */

Rc attachment_add(Db *db, int64_t case_id, int64_t event_id, const char *name,
		  const unsigned char *data, size_t len, bool public_, int64_t *id_out,
		  const char **problem)
{
	static const char *const refused =
		"This type of file is not accepted. Send photos (JPEG, PNG, GIF, WebP), PDF or office documents (Word, Excel, PowerPoint) without macros.";
	*problem = NULL;
	if (id_out)
		*id_out = 0;
	if (len > ATTACHMENT_MAX_BYTES) {
		*problem = "The file is larger than 5 MB.";
		return RC_TOO_LARGE;
	}
	if (len == 0) {
		*problem = "The file is empty.";
		return RC_INVALID;
	}
	const char *type = attachment_sniff(data, len);
	if (!type) {
		*problem = refused;
		return RC_INVALID;
	}
	int64_t have = 0;
	Rc rc = db_get_int(db, &have, "SELECT count(*) FROM case_attachment WHERE case_id = ?", "l",
			   case_id);
	if (rc)
		return rc;
	if (have >= ATTACHMENT_MAX_PER_CASE) {
		*problem = "A case can have at most 10 attached files.";
		return RC_TOO_LARGE;
	}
	char sha[CRYPTO_HASH_HEX + 1];
	crypto_sha256_hex(data, len, sha);
	char *clean = attachment_clean_name(name);
	rc = db_run(db, "INSERT INTO case_attachment (case_id, event_id, filename, content_type,"
			" size, sha256, data, public, created_at)"
			" VALUES (?, nullif(?, 0), ?, ?, ?, ?, ?, ?, ?)",
		    "llttltbil", case_id, event_id, clean, type, (int64_t)len, sha, data, (int)len,
		    public_ ? 1 : 0, util_now());
	free(clean);
	if (rc == RC_CONFLICT)
		return RC_NOT_FOUND; /* the foreign key: no such case or event */
	if (rc)
		return rc;
	if (id_out)
		*id_out = db_last_id(db);
	return RC_OK;
}

void attachment_release(Attachment *a)
{
	if (!a)
		return;
	free(a->filename);
	free(a->data);
	a->filename = NULL;
	a->data = NULL;
}

void attachment_list_release(Attachment *a, size_t n)
{
	if (!a)
		return;
	for (size_t i = 0; i < n; i++)
		attachment_release(&a[i]);
	free(a);
}

/* Copy into a fixed field, cutting what does not fit (a long OOXML type
 * in the 64-byte field: the download re-sniffs the bytes for the header,
 * so the stored field only labels the file). */
static void copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* Columns 0–6 of the SELECTs below into *a (data not touched). */
static void row_meta(DbStmt *st, Attachment *a)
{
	a->id = db_col_int(st, 0);
	a->case_id = db_col_int(st, 1);
	a->filename = xstrdup(db_col_text(st, 2));
	copy_cut(a->content_type, sizeof a->content_type, db_col_text(st, 3));
	a->size = db_col_int(st, 4);
	copy_cut(a->sha256, sizeof a->sha256, db_col_text(st, 5));
	a->public_ = db_col_int(st, 6) != 0;
}

Rc attachment_list(Db *db, int64_t case_id, Attachment **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT id, case_id, filename, content_type, size, sha256, public"
				 " FROM case_attachment WHERE case_id = ? ORDER BY id",
			"l", case_id);
	if (rc)
		return rc;
	Attachment *list = NULL;
	size_t count = 0;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		list = xrealloc(list, (count + 1) * sizeof *list);
		memset(&list[count], 0, sizeof *list);
		row_meta(st, &list[count]);
		count++;
	}
	db_done(st);
	if (step != DB_DONE) {
		attachment_list_release(list, count);
		return (Rc)-step;
	}
	*out = list;
	*n = count;
	return RC_OK;
}

Rc attachment_load(Db *db, int64_t case_id, int64_t id, Attachment *out)
{
	memset(out, 0, sizeof *out);
	DbStmt *st;
	Rc rc = db_prep(db, &st, "SELECT id, case_id, filename, content_type, size, sha256, public,"
				 " data FROM case_attachment WHERE case_id = ? AND id = ?",
			"ll", case_id, id);
	if (rc)
		return rc;
	int step = db_step(st);
	if (step == DB_ROW) {
		row_meta(st, out);
		size_t len = (size_t)db_col_bytes(st, 7);
		out->data = xmalloc(len ? len : 1);
		if (len)
			memcpy(out->data, db_col_blob(st, 7), len);
		out->size = (int64_t)len;
		rc = RC_OK;
	} else {
		rc = step == DB_DONE ? RC_NOT_FOUND : (Rc)-step;
	}
	db_done(st);
	return rc;
}
