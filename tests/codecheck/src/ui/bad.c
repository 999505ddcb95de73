/* bad.c — deliberately wrong code: `make codecheck` must reject every line
 * of it, which proves the check can fail.  Never compiled.
 * expected problems: 13 (the Makefile compares the count) */
/* (treated as a handler file: see the path check in codecheck.pl) */
void f(Req *r, const char *x) {
	html(r, "<p>%r</p>", x);
	html(r, x);
	buf_printf(&r->out, "<p>%s</p>", x);
	buf_puts(&r->out, x);
	db_run(r->db, x, "");
	strcpy(a, b);
	html(r, "<p>%s %r</p>", x, x ? " a" : "b");
	const char *m = _("Not translated at all");
}
void g(void) { sqlite3_exec(db, "x", 0, 0, 0); }
void h(Buf *b) { buf_printf(b, "%09u", 5u); }
#define NOT_SQL x
#define HALF_SQL "SELECT " NOT_SQL
static const char *const mixed[] = {"SELECT 1", HALF_SQL};
void k(Db *db, int i, const char *x) {
	db_run(db, HALF_SQL, "");
	db_run(db, mixed[i], "");
	db_run(db, "SELECT 1" x, "");
}
void m(Buf *b, const char *x) { buf_printf(b, "%.8s", x); }
