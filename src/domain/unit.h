/*
 * unit.h — Vietnam's administrative units in two eras, the old→new
 * mapping between them, regions (configurable sets of provinces), search
 * and the area-scope test.  See docs/internals/units.md.
 *
 * Eras.  Era 2020 holds the three-tier system in force before the 2025
 * reorganisation (63 provinces, 696 districts, 10,035 + 12 communes;
 * valid_from "2000-01-01" means "in force before the reorganisation,
 * earliest date unknown", valid_to "2025-06-30").  Era 2025 holds the
 * two-tier system in force since 2025-07-01 (34 provinces, 3,321
 * communes; valid_to NULL).  GSO codes repeat across eras with different
 * meanings (3,315 commune codes and most province codes exist in both),
 * so a code alone never identifies a unit: (level, code, era) does.
 *
 * Successors.  unit_successor links an old unit to each new unit that
 * received (part of) its territory; `partial` is set when only part of
 * the old unit went to that new unit.  Resolution follows links until it
 * reaches units in force, so any code of either era answers "what is this
 * place today?".
 *
 * Scope.  unit_within() decides whether a unit lies inside another; it is
 * the test behind "an officer of commune A never touches commune B".
 *
 * Ownership: Unit and the link structs are plain values; the arrays the
 * functions return are malloc'd and freed with free() (or the *_free
 * helper where the elements own memory).  On error *out is NULL and *n 0.
 */
#ifndef DANVAN_UNIT_H
#define DANVAN_UNIT_H

#include "../store/db.h"

enum { UNIT_ERA_OLD = 2020, UNIT_ERA_NEW = 2025 };

#define UNIT_OLD_FROM "2000-01-01" /* placeholder: earliest date unknown */
#define UNIT_OLD_TO "2025-06-30"
#define UNIT_NEW_FROM "2025-07-01"

/* Levels as stored in unit.level. */
#define UNIT_PROVINCE "province"
#define UNIT_DISTRICT "district"
#define UNIT_COMMUNE "commune"

typedef struct Unit {
	int64_t id;
	char code[8];           /* GSO code: 2, 3 or 5 digits */
	char level[12];         /* "province", "district" or "commune" */
	int era;                /* UNIT_ERA_OLD or UNIT_ERA_NEW */
	int64_t parent_id;      /* 0 for provinces */
	int64_t province_id;    /* the unit itself for provinces */
	char name[128];         /* "Hồng Hà" */
	char full_name[160];    /* "Phường Hồng Hà" */
	char name_en[128];      /* "" when the source has none */
	char kind[64];          /* "Phường", "Xã", "Tỉnh", "Huyện", … */
	char valid_from[11];    /* ISO date */
	char valid_to[11];      /* ISO date; "" while in force */
	char province_name[128]; /* name of province_id (its own for provinces) */
} Unit;

/* A unit reached through the successor relation. */
typedef struct UnitLink {
	Unit unit;
	bool partial; /* only part of the old unit's territory went here */
} UnitLink;

/* 2, 3 or 5 ASCII digits (province, district, commune code). */
bool unit_code_valid(const char *code);
/* Is `u` in force on `date` (ISO)? */
bool unit_in_force(const Unit *u, const char *date);
/* Today in Vietnam as "YYYY-MM-DD" (out must hold 11 bytes). */
void unit_today(char out[11]);

Rc unit_load(Db *db, int64_t id, Unit *out);
/* The unit of `level` with `code` in `era`; era 0 = the newest era that
 * has it.  RC_NOT_FOUND when none. */
Rc unit_find(Db *db, const char *level, const char *code, int era, int64_t *id);

/* Where the unit is today: follows successor links (transitively) to
 * units in force today, `partial` set when any step on the way was
 * partial (a unit reached by both a full and a partial path counts as
 * full).  A unit in force today resolves to itself.  A unit that ended
 * without successors resolves to nothing (*n = 0, RC_OK).  Ordered by
 * code. */
Rc unit_successors(Db *db, int64_t unit_id, UnitLink **out, size_t *n);
/* The same, for units in force on `date`. */
Rc unit_successors_on(Db *db, int64_t unit_id, const char *date, UnitLink **out, size_t *n);
/* Direct links only: the units this one went to (predecessors = false)
 * or the units that went into this one (predecessors = true; ordered
 * provinces, districts, communes, then by code). */
Rc unit_links(Db *db, int64_t unit_id, bool predecessors, UnitLink **out, size_t *n);

/* One unit that carries a code, and what it is today. */
typedef struct UnitResolution {
	Unit unit;
	UnitLink *succ; /* malloc'd */
	size_t nsucc;
} UnitResolution;

/* Every unit of either era with this code (any level: "01" is both the
 * old and the new Hà Nội; "00007" is an old ward and a new one), newest
 * era first, each with its successors in force today.  RC_INVALID for a
 * malformed code; RC_OK with *n = 0 when no unit has it. */
Rc unit_resolve_code(Db *db, const char *code, UnitResolution **out, size_t *n);
void unit_resolutions_free(UnitResolution *r, size_t n);

/*
 * Is `unit_id` inside `ancestor_id`?  True when they are equal, when the
 * ancestor is on the unit's parent chain or is its province, and — for a
 * unit of an older era than the ancestor — when every direct successor of
 * the unit is (recursively) within the ancestor.  ancestor_id 0 means the
 * whole country: always true.  Everything else is false, in particular a
 * unit_id of 0 (no unit) under a real ancestor, unknown ids, a newer unit
 * under an older ancestor, and database errors (the test fails closed).
 */
bool unit_within(Db *db, int64_t unit_id, int64_t ancestor_id);

/* Direct children (districts of an old province, communes of a district
 * or of a new province), ordered by name. */
Rc unit_children(Db *db, int64_t parent_id, Unit **out, size_t *n);

typedef struct UnitStat {
	Unit unit;
	long districts;
	long communes;
} UnitStat;

/* Provinces of `era` (0 = those in force today) with their numbers of
 * districts and communes, ordered by code. */
Rc unit_provinces(Db *db, int era, UnitStat **out, size_t *n);

/* Units whose name contains the query, compared on the folded search key
 * (so "thai binh" finds "Thái Bình"); when nothing matches and the query
 * starts with a kind word ("xã", "phường", "tỉnh", …) the rest is tried.
 * era 0 = both eras.  Provinces first, then districts, communes; exact
 * names before partial matches; then by name, newest era first.  At most
 * `limit` (1–500) rows.  An empty query gives no rows. */
Rc unit_search(Db *db, const char *query, int era, int limit, Unit **out, size_t *n);

typedef struct UnitCounts {
	long provinces_old, districts_old, communes_old;
	long provinces_new, communes_new;
	long links, regions;
} UnitCounts;
Rc unit_counts(Db *db, UnitCounts *out);

/* What one import run did (rows already present count as kept). */
typedef struct UnitImportStats {
	long units_added;       /* rows inserted into unit */
	long links_added;       /* rows inserted into unit_successor */
	long communes_created;  /* old communes known only from the mapping */
	long rows_remapped;     /* mapping rows whose new code was corrected */
	long cross_province;    /* commune links that leave the province mapping */
} UnitImportStats;

/*
 * Import the units of both eras, the old→new mapping and the built-in
 * regions from the CSV files in `dir` (the data/admin-units directory:
 * before-2025/, after-2025/ and mapping-2025/, see its README.md).  Idempotent: rows are keyed on (level,
 * code, valid_from) and links on (old, new); rows already present are kept
 * as they are, never replaced or duplicated.  Runs in one write
 * transaction (or inside the caller's, if one is open) and rolls back on
 * any error.  `progress` (may be NULL) is called now and then with a
 * phase name and row counts.
 */
Rc unit_import(Db *db, const char *dir,
	       void (*progress)(const char *what, long done, long total));
/* The same, filling `stats` and appending a "file:line: why" message to
 * `err` on failure (both may be NULL). */
Rc unit_import_ex(Db *db, const char *dir,
		  void (*progress)(const char *what, long done, long total),
		  UnitImportStats *stats, Buf *err);

/* ---- regions: named sets of provinces --------------------------------- */

#define REGION_DBSH11 "dbsh-11" /* built in: the 11-province Red River Delta */

typedef struct Region {
	int64_t id;
	char code[64];
	char name[256];
	char name_en[256];
	bool builtin;
	long members;
} Region;

/* An in-force province reached from a region, with how many of its
 * communes descend from the region's units (Bắc Ninh: 41 of 99). */
typedef struct RegionShare {
	Unit province;
	long communes_from_region;
	long communes_total;
} RegionShare;

Rc region_load(Db *db, const char *code, Region *out);
Rc region_list(Db *db, Region **out, size_t *n);
/* Members ordered by era (newest first) then code. */
Rc region_members(Db *db, int64_t region_id, Unit **out, size_t *n);
/* Create a region.  code: [a-z0-9-], 1–60 bytes; name 1–200 characters,
 * valid UTF-8; name_en may be empty.  RC_CONFLICT if the code is taken. */
Rc region_create(Db *db, const char *code, const char *name, const char *name_en, int64_t *id);
/* Add or remove a province (of either era).  Adding twice is a no-op.
 * Built-in regions cannot be changed (RC_FORBIDDEN); a unit that is not a
 * province is RC_INVALID; an unknown region or unit RC_NOT_FOUND. */
Rc region_add_member(Db *db, int64_t region_id, int64_t unit_id);
Rc region_remove_member(Db *db, int64_t region_id, int64_t unit_id);
/* The provinces in force today that received communes from the region,
 * by code; RC_NOT_FOUND for an unknown region. */
Rc region_resolve(Db *db, const char *code, RegionShare **out, size_t *n);

/* ---- the CSV reader used by the import (exposed for tests/fuzzing) ---- */

#define UNIT_CSV_MAX_FIELDS 32

/* RFC 4180: fields separated by ',', rows by CRLF or LF; a field in
 * double quotes may hold commas, newlines and "" for a quote.  Parses in
 * place: fields point into `data`, which must be NUL-terminated at
 * data[len] (util_read_file does that).  A leading UTF-8 BOM is
 * skipped. */
typedef struct UnitCsv {
	char *data;
	size_t len, pos;
	long line;      /* line number where the current row starts (1-based) */
	long next_line;
	char *f[UNIT_CSV_MAX_FIELDS];
	size_t nf;
} UnitCsv;

void unit_csv_init(UnitCsv *c, char *data, size_t len);
/* 1: a row is in c->f[0..nf); 0: end of input; -1: malformed (unclosed
 * quote, text after a closing quote, a quote inside an unquoted field, or
 * more than UNIT_CSV_MAX_FIELDS fields). */
int unit_csv_next(UnitCsv *c);

#endif
