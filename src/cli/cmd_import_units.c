/*
 * cmd_import_units.c — `danvan import-units`: load the administrative
 * units of both eras, the 2025 old→new mapping and the built-in regions
 * from DIR/admin-units into the database (domain/unit.h unit_import_ex).
 *
 * Safe to run again: rows already present are kept, nothing is
 * duplicated, and the whole import is one transaction, so a failure
 * leaves the database as it was.
 */
#include "cli.h"
#include "../domain/unit.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: danvan [--db PATH] import-units [--data DIR]\n"
		   "Import provinces, districts and communes of before and after the\n"
		   "1 July 2025 reorganisation, the old-to-new mapping and the built-in\n"
		   "regions from DIR/admin-units (default: the global --data, ./data).\n"
		   "Safe to run again: existing rows are kept and nothing is duplicated.\n");
}

int cmd_import_units(const CliEnv *env, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	const char *data = env->data_dir && *env->data_dir ? env->data_dir : "data";
	for (int i = 1; i < argc; i++) {
		if (str_eq(argv[i], "--data") && i + 1 < argc) {
			data = argv[++i];
		} else if (str_starts(argv[i], "--data=")) {
			data = argv[i] + strlen("--data=");
		} else {
			fprintf(stderr, "danvan import-units: unknown or incomplete option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	Buf dir = BUF_INIT;
	buf_printf(&dir, "%s/admin-units", data);

	Db *db = cli_open_db(env, true);
	UnitImportStats st;
	Buf err = BUF_INIT;
	Rc rc = unit_import_ex(db, buf_cstr(&dir), cli_progress, &st, &err);
	if (rc) {
		fprintf(stderr, "danvan import-units: failed (%s): %s\n", rc_name(rc),
			buf_cstr(&err)[0] ? buf_cstr(&err) : db_errmsg(db));
		fprintf(stderr, "danvan import-units: nothing was changed\n");
		buf_release(&err);
		buf_release(&dir);
		db_close(db);
		return 1;
	}
	UnitCounts c;
	rc = unit_counts(db, &c);
	if (rc) {
		fprintf(stderr, "danvan import-units: counting failed: %s\n", db_errmsg(db));
		buf_release(&err);
		buf_release(&dir);
		db_close(db);
		return 1;
	}
	printf("administrative units from %s\n", buf_cstr(&dir));
	printf("  before 1 July 2025: %ld provinces, %ld districts, %ld communes"
	       " (%ld known only from the mapping)\n",
	       c.provinces_old, c.districts_old, c.communes_old, st.communes_created);
	printf("  since 1 July 2025:  %ld provinces, %ld communes\n", c.provinces_new, c.communes_new);
	printf("  old-to-new links:   %ld; regions: %ld\n", c.links, c.regions);
	printf("  this run added %ld units and %ld links; %ld mapping rows had a corrected"
	       " new code\n", st.units_added, st.links_added, st.rows_remapped);
	if (st.cross_province)
		printf("  note: %ld mapping rows lead outside the province their old province"
		       " became (kept as the mapping says)\n", st.cross_province);
	buf_release(&err);
	buf_release(&dir);
	db_close(db);
	return 0;
}
