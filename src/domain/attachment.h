/*
 * attachment.h — files attached to a case (images, PDF, office
 * documents), stored in the database with their SHA-256.
 *
 * The type is decided by content sniffing (magic bytes), never by the
 * name or the type the client declared: JPEG, PNG, GIF, WebP, PDF, OOXML
 * (docx/xlsx/pptx: a ZIP with [Content_Types].xml), legacy Office (OLE
 * compound file).  Anything else is refused.  Caps: ATTACHMENT_MAX_BYTES
 * per file, ATTACHMENT_MAX_PER_CASE per case.  Names are cleaned to a
 * safe display name and never used as a path.
 */
#ifndef DANVAN_ATTACHMENT_H
#define DANVAN_ATTACHMENT_H

#include "../store/db.h"

#define ATTACHMENT_MAX_BYTES (5 * 1024 * 1024)
#define ATTACHMENT_MAX_PER_CASE 10

/* The sniffed MIME type, or NULL when the bytes are not an allowed kind. */
const char *attachment_sniff(const unsigned char *data, size_t len);
/* A display name: path parts removed, control and quote characters
 * replaced, at most 120 bytes, never empty. malloc'd. */
char *attachment_clean_name(const char *name);

/* Store a file (in the caller's write transaction).  RC_INVALID for a
 * refused type (*problem set), RC_TOO_LARGE over the caps. */
Rc attachment_add(Db *db, int64_t case_id, int64_t event_id, const char *name,
		  const unsigned char *data, size_t len, bool public_, int64_t *id_out,
		  const char **problem);

typedef struct Attachment {
	int64_t id, case_id;
	char *filename;
	char content_type[80];
	int64_t size;
	char sha256[65];
	bool public_;
	unsigned char *data; /* only from attachment_load */
} Attachment;

void attachment_release(Attachment *a);
/* Metadata of a case's attachments (data NULL). */
Rc attachment_list(Db *db, int64_t case_id, Attachment **out, size_t *n);
void attachment_list_release(Attachment *a, size_t n);
/* With data; the caller has checked the reader may see the case. */
Rc attachment_load(Db *db, int64_t case_id, int64_t id, Attachment *out);

#endif
