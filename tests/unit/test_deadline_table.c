/*
 * test_deadline_table.c — the deadline engine (domain/deadline.c on the
 * calendar of domain/calendar.c) over a table of cases worked out by hand
 * from shared domain.md §1.1 (complaints), §1.2 (denunciations), §1.4
 * (petitions) and §1.6 (counting), on the computed calendars of 2025,
 * 2026 and 2027 (no calendar_day rows: what the code derives by itself).
 * test_deadline.c has the calendar's own tests, rule lookup, later rule
 * sets, escalation; this file is the wide table, each row checked twice:
 * by deadline_compute and by deadline_open on a case (the stored row).
 * Then scenarios on a case: extensions of denunciations (complex once,
 * very complex twice, a third refused) and suspensions (pause/resume).
 *
 * Counting (Civil Code 2015 Art. 147–148, domain.md §1.6): the event's day
 * is not counted.  N working days (WD) end on the Nth working day after
 * the event.  N plain days end on event + N, moved to the next working
 * day when that day is a weekend or a holiday.
 *
 * The calendars (Sat/Sun off; holidays as calendar.c computes them, with a
 * compensatory day after each that falls on a weekend):
 *   2025  1/1 Wed; Tết 28/1 Tue – 1/2 Sat, compensatory 3/2 Mon;
 *         Hùng Kings 7/4 Mon; 30/4 Wed, 1/5 Thu; 1/9 Mon, 2/9 Tue.
 *   2026  1/1 Thu; Tết 16/2 Mon – 20/2 Fri; Hùng Kings 26/4 Sun,
 *         compensatory 27/4 Mon; 30/4 Thu, 1/5 Fri; 1/9 Tue, 2/9 Wed.
 *   2027  1/1 Fri; Tết 5/2 Fri – 9/2 Tue (6–7/2 a weekend), compensatory
 *         10/2 Wed and 11/2 Thu; Hùng Kings 16/4 Fri; 30/4 Fri, 1/5 Sat,
 *         compensatory 3/5 Mon; 1/9 Wed, 2/9 Thu.
 *   2028  1/1 Sat, compensatory 3/1 Mon (one row runs into it).
 * Month lengths used below: Jan 31, Feb 28 (2025–2027), Mar 31, Apr 30,
 * Jul 31, Aug 31, Oct 31, Nov 30, Dec 31.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <unistd.h>

#include "domain/deadline.h"
#include "store/schema.h"

static char dir[64];
static char path[96];
static Db *db;

#define D(y, m, d) ((Date){y, m, d})

/* Fragments of the legal bases (deadline.c's seed set). */
#define KN "Luật Khiếu nại 02/2011/QH13"
#define TC "Luật Tố cáo 25/2018/QH14"

typedef struct Row {
	const char *kind, *step;
	Date event;
	int complexity;
	bool remote, multi_place;
	Date due;      /* by hand */
	int days;
	bool working;  /* working days (true) or plain days */
	const char *basis; /* a substring of the legal basis */
} Row;

#define WD true
#define PLAIN false

static const Row rows[] = {
	/* ---- complaints: acceptance, 10 working days (Art. 27; Circular 07/2013) ---- */

	/* 0. Thu 12/2/2026, the eve of Tết: 13/2 Fri = 1; 14–15 weekend; 16–20
	 * Tết; 21–22 weekend; 23, 24, 25, 26, 27/2 = 2–6; 2, 3, 4, 5/3 = 7–10. */
	{"complaint", "accept", D(2026, 2, 12), 0, false, false, D(2026, 3, 5), 10, WD, KN ", Điều 27"},
	/* 1. Fri 24/1/2025: 25–26 weekend; 27/1 Mon = 1; 28/1–1/2 Tết; 2/2 Sun;
	 * 3/2 compensatory; 4, 5, 6, 7/2 = 2–5; 10, 11, 12, 13, 14/2 = 6–10. */
	{"complaint", "accept", D(2025, 1, 24), 0, false, false, D(2025, 2, 14), 10, WD, "Thông tư 07/2013/TT-TTCP"},
	/* 2. Mon 25/8/2025: 26, 27, 28, 29/8 = 1–4; 30–31 weekend; 1–2/9 off;
	 * 3, 4, 5/9 = 5–7; 6–7 weekend; 8, 9, 10/9 = 8–10. */
	{"complaint", "accept", D(2025, 8, 25), 0, false, false, D(2025, 9, 10), 10, WD, "10 ngày làm việc"},
	/* 3. Second instance, Thu 23/4/2026: 24/4 Fri = 1; 25–26 weekend (26 is
	 * Hùng Kings); 27 compensatory; 28, 29/4 = 2–3; 30/4, 1/5 off; 2–3
	 * weekend; 4, 5, 6, 7, 8/5 = 4–8; 11, 12/5 = 9–10. */
	{"complaint", "accept2", D(2026, 4, 23), 0, false, false, D(2026, 5, 12), 10, WD, KN ", Điều 36"},

	/* ---- complaints: first-instance resolution, plain days (Art. 28):
	 * 30, complex 45, remote 45, remote and complex 60 ---- */

	/* 4. Fri 16/1/2026 + 30: +15 = 31/1, +15 = 15/2 Sun; 16–20/2 Tết; 21–22
	 * weekend → Mon 23/2. */
	{"complaint", "resolve", D(2026, 1, 16), 0, false, false, D(2026, 2, 23), 30, PLAIN, KN ", Điều 28: không quá 30 ngày"},
	/* 5. Complex, Fri 2/1/2026 + 45: +29 = 31/1, +16 = 16/2, Tết's eve → Mon 23/2. */
	{"complaint", "resolve", D(2026, 1, 2), 1, false, false, D(2026, 2, 23), 45, PLAIN, "vụ việc phức tạp, không quá 45 ngày"},
	/* 6. Very complex is "complex" for the complaint law (one level):
	 * Fri 17/7/2026 + 45: +14 = 31/7, +31 = 31/8 Mon, a working day (1/9 is
	 * the holiday) → 31/8. */
	{"complaint", "resolve", D(2026, 7, 17), 2, false, false, D(2026, 8, 31), 45, PLAIN, "vụ việc phức tạp"},
	/* 7. Remote, Mon 16/3/2026 + 45: +15 = 31/3, +30 = 30/4 Thu (holiday);
	 * 1/5 Fri (holiday); 2–3 weekend → Mon 4/5. */
	{"complaint", "resolve", D(2026, 3, 16), 0, true, false, D(2026, 5, 4), 45, PLAIN, "vùng sâu, vùng xa đi lại khó khăn, không quá 45 ngày"},
	/* 8. Remote and complex, event on Sunday 1/3/2026 (the count still
	 * starts the next day) + 60: +30 = 31/3, +30 = 30/4 → Mon 4/5 as above. */
	{"complaint", "resolve", D(2026, 3, 1), 1, true, false, D(2026, 5, 4), 60, PLAIN, "vùng sâu, vùng xa, vụ việc phức tạp, không quá 60 ngày"},
	/* 9. Remote and very complex, Fri 31/10/2025 + 60: +30 = 30/11, +30 =
	 * 30/12 Tue, a working day. */
	{"complaint", "resolve", D(2025, 10, 31), 2, true, false, D(2025, 12, 30), 60, PLAIN, "vùng sâu, vùng xa, vụ việc phức tạp"},
	/* 10. Mon 3/8/2026 + 30: +28 = 31/8, +2 = 2/9 Wed (National Day) → Thu 3/9. */
	{"complaint", "resolve", D(2026, 8, 3), 0, false, false, D(2026, 9, 3), 30, PLAIN, KN ", Điều 28"},
	/* 11. Sat 2/8/2025 + 30: +29 = 31/8, +1 = 1/9 Mon (off), 2/9 Tue (off)
	 * → Wed 3/9. */
	{"complaint", "resolve", D(2025, 8, 2), 0, false, false, D(2025, 9, 3), 30, PLAIN, KN ", Điều 28"},
	/* 12. Fri 8/1/2027 + 30: +23 = 31/1, +7 = 7/2 Sun, inside Tết; 8–9/2
	 * Tết; 10–11/2 compensatory → Fri 12/2. */
	{"complaint", "resolve", D(2027, 1, 8), 0, false, false, D(2027, 2, 12), 30, PLAIN, KN ", Điều 28"},
	/* 13. Thu 31/12/2026 + 30 = 30/1/2027 Sat; 31/1 Sun → Mon 1/2. */
	{"complaint", "resolve", D(2026, 12, 31), 0, false, false, D(2027, 2, 1), 30, PLAIN, KN ", Điều 28"},
	/* 14. Several places to verify changes nothing for a complaint:
	 * Mon 1/6/2026 + 30 = Wed 1/7. */
	{"complaint", "resolve", D(2026, 6, 1), 0, false, true, D(2026, 7, 1), 30, PLAIN, KN ", Điều 28"},

	/* ---- complaints: second instance (Art. 37): 45, complex 60, remote
	 * 60, remote and complex 70 ---- */

	/* 15. Tue 17/11/2026 + 45: +13 = 30/11, +31 = 31/12, +1 = 1/1/2027 Fri
	 * (New Year); 2–3/1 weekend → Mon 4/1. */
	{"complaint", "resolve2", D(2026, 11, 17), 0, false, false, D(2027, 1, 4), 45, PLAIN, KN ", Điều 37: không quá 45 ngày"},
	/* 16. Complex, Tue 8/12/2026 + 60: +23 = 31/12, +31 = 31/1, +6 = 6/2/2027
	 * Sat (Tết); 7 Sun; 8–9 Tết; 10–11 compensatory → Fri 12/2. */
	{"complaint", "resolve2", D(2026, 12, 8), 1, false, false, D(2027, 2, 12), 60, PLAIN, "vụ việc phức tạp, không quá 60 ngày"},
	/* 17. Remote, Mon 1/3/2027 + 60: +30 = 31/3, +30 = 30/4 Fri (holiday);
	 * 1/5 Sat (holiday), 2/5 Sun, 3/5 compensatory → Tue 4/5. */
	{"complaint", "resolve2", D(2027, 3, 1), 0, true, false, D(2027, 5, 4), 60, PLAIN, "vùng sâu, vùng xa đi lại khó khăn, không quá 60 ngày"},
	/* 18. Remote and complex, Tue 1/12/2026 + 70: +30 = 31/12, +31 = 31/1,
	 * +9 = 9/2/2027 Tue (Tết); 10–11 compensatory → Fri 12/2. */
	{"complaint", "resolve2", D(2026, 12, 1), 1, true, false, D(2027, 2, 12), 70, PLAIN, "không quá 70 ngày"},

	/* ---- complaints: sending the decision, 3 working days (Art. 32) ---- */

	/* 19. Wed 28/4/2027: 29/4 Thu = 1; 30/4 off; 1–2/5 weekend; 3/5
	 * compensatory; 4/5 = 2, 5/5 = 3. */
	{"complaint", "send_decision", D(2027, 4, 28), 0, false, false, D(2027, 5, 5), 3, WD, KN ", Điều 32"},
	/* 20. Fri 4/4/2025: 5–6 weekend; 7/4 Hùng Kings; 8, 9, 10/4 = 1–3. */
	{"complaint", "send_decision", D(2025, 4, 4), 0, false, false, D(2025, 4, 10), 3, WD, "03 ngày làm việc"},
	/* 21. Mon 30/8/2027: 31/8 Tue = 1; 1–2/9 off; 3/9 Fri = 2; 4–5 weekend;
	 * 6/9 Mon = 3. */
	{"complaint", "send_decision", D(2027, 8, 30), 0, false, false, D(2027, 9, 6), 3, WD, KN ", Điều 32"},

	/* ---- complaints: window for a second complaint (Art. 33) and legal
	 * effect (Art. 44): 30 plain days, remote 45 ---- */

	/* 22. Wed 6/1/2027 + 30: +25 = 31/1, +5 = 5/2 Fri (Tết's eve); 6–9/2 Tết;
	 * 10–11/2 compensatory → Fri 12/2. */
	{"complaint", "appeal_window", D(2027, 1, 6), 0, false, false, D(2027, 2, 12), 30, PLAIN, KN ", Điều 33"},
	/* 23. Thu 1/4/2027 + 30: +29 = 30/4, +1 = 1/5 Sat (holiday); 2/5 Sun;
	 * 3/5 compensatory → Tue 4/5. */
	{"complaint", "appeal_window", D(2027, 4, 1), 0, false, false, D(2027, 5, 4), 30, PLAIN, KN ", Điều 33"},
	/* 24. Remote, Thu 18/12/2025 + 45: +13 = 31/12, +31 = 31/1/2026, +1 =
	 * 1/2 Sun → Mon 2/2. */
	{"complaint", "appeal_window", D(2025, 12, 18), 0, true, false, D(2026, 2, 2), 45, PLAIN, "vùng sâu, vùng xa đi lại khó khăn, 45 ngày"},
	/* 25. Wed 2/12/2026 + 30: +29 = 31/12, +1 = 1/1/2027 Fri → Mon 4/1. */
	{"complaint", "take_effect", D(2026, 12, 2), 0, false, false, D(2027, 1, 4), 30, PLAIN, KN ", Điều 44"},
	/* 26. Tue 30/12/2025 + 30: +1 = 31/12, +29 = 29/1/2026 Thu, a working day. */
	{"complaint", "take_effect", D(2025, 12, 30), 0, false, false, D(2026, 1, 29), 30, PLAIN, "có hiệu lực sau 30 ngày"},
	/* 27. Remote, Sun 18/7/2027 + 45: +13 = 31/7, +31 = 31/8, +1 = 1/9 Wed
	 * (off), 2/9 Thu (off) → Fri 3/9. */
	{"complaint", "take_effect", D(2027, 7, 18), 0, true, false, D(2027, 9, 3), 45, PLAIN, KN ", Điều 44: vùng sâu, vùng xa"},

	/* ---- denunciations (Law 25/2018; Decree 31/2019) ---- */

	/* 28. Initial handling, 7 WD (Art. 24.1), Wed 3/2/2027: 4/2 Thu = 1;
	 * 5–9/2 Tết; 10–11/2 compensatory; 12/2 Fri = 2; 13–14 weekend;
	 * 15, 16, 17, 18, 19/2 = 3–7. */
	{"denunciation", "initial", D(2027, 2, 3), 0, false, false, D(2027, 2, 19), 7, WD, TC ", Điều 24 khoản 1: 07 ngày làm việc"},
	/* 29. The same with several places to verify: 10 WD, three more:
	 * 22, 23, 24/2. */
	{"denunciation", "initial", D(2027, 2, 3), 0, false, true, D(2027, 2, 24), 10, WD, "nhiều địa điểm, 10 ngày làm việc"},
	/* 30. Mon 29/12/2025: 30, 31/12 = 1–2; 1/1 off; 2/1 Fri = 3; 3–4
	 * weekend; 5, 6, 7, 8/1/2026 = 4–7. */
	{"denunciation", "initial", D(2025, 12, 29), 0, false, false, D(2026, 1, 8), 7, WD, TC ", Điều 24 khoản 1"},
	/* 31. Received on a holiday, Thu 30/4/2026: 1/5 off; 2–3 weekend;
	 * 4, 5, 6, 7, 8/5 = 1–5; 9–10 weekend; 11, 12/5 = 6–7. */
	{"denunciation", "initial", D(2026, 4, 30), 0, false, false, D(2026, 5, 12), 7, WD, TC ", Điều 24 khoản 1"},
	/* 32. Several places, Wed 22/1/2025: 23, 24/1 = 1–2; 25–26 weekend;
	 * 27/1 = 3; 28/1–1/2 Tết; 2/2 Sun; 3/2 compensatory; 4, 5, 6, 7/2 =
	 * 4–7; 8–9 weekend; 10, 11, 12/2 = 8–10. */
	{"denunciation", "initial", D(2025, 1, 22), 0, false, true, D(2025, 2, 12), 10, WD, "nhiều địa điểm"},
	/* 33. Forwarding, 5 WD (Art. 24.2), Fri 25/4/2025: 26–27 weekend; 28,
	 * 29/4 = 1–2; 30/4, 1/5 off; 2/5 Fri = 3; 3–4 weekend; 5, 6/5 = 4–5. */
	{"denunciation", "forward", D(2025, 4, 25), 0, false, false, D(2025, 5, 6), 5, WD, TC ", Điều 24 khoản 2"},
	/* 34. Notice of acceptance, 5 WD (Art. 29), Fri 28/8/2026: 29–30
	 * weekend; 31/8 Mon = 1; 1–2/9 off; 3, 4/9 = 2–3; 5–6 weekend; 7, 8/9 = 4–5. */
	{"denunciation", "notify_accept", D(2026, 8, 28), 0, false, false, D(2026, 9, 8), 5, WD, TC ", Điều 29"},
	/* 35. Resolution, 30 plain days (Art. 30), Mon 19/1/2026: +12 = 31/1,
	 * +18 = 18/2 Wed (Tết); 19–20 Tết; 21–22 weekend → Mon 23/2. */
	{"denunciation", "resolve", D(2026, 1, 19), 0, false, false, D(2026, 2, 23), 30, PLAIN, TC ", Điều 30"},
	/* 36. Complexity does not change the first period (the extension
	 * does): very complex, Mon 1/6/2026 + 30 = Wed 1/7. */
	{"denunciation", "resolve", D(2026, 6, 1), 2, false, false, D(2026, 7, 1), 30, PLAIN, "không quá 30 ngày kể từ ngày thụ lý tố cáo"},
	/* 37. The extension rule as a period of its own (deadline_compute: 30
	 * plain days from the event; deadline_open instead pushes the resolve
	 * deadline, see the scenarios): complex, Tue 1/4/2025 + 30 = 1/5 Thu
	 * (holiday) → Fri 2/5. */
	{"denunciation", "extension", D(2025, 4, 1), 1, false, false, D(2025, 5, 2), 30, PLAIN, "gia hạn một lần"},
	/* 38. Very complex, Sun 3/8/2025 + 30: +28 = 31/8, +2 = 2/9 Tue (off)
	 * → Wed 3/9. */
	{"denunciation", "extension", D(2025, 8, 3), 2, false, false, D(2025, 9, 3), 30, PLAIN, "gia hạn hai lần"},
	/* 39. Publishing the conclusion, 7 WD (Art. 40), Fri 24/4/2026: 25–26
	 * weekend; 27 compensatory; 28, 29/4 = 1–2; 30/4, 1/5 off; 2–3
	 * weekend; 4, 5, 6, 7, 8/5 = 3–7. */
	{"denunciation", "publish", D(2026, 4, 24), 0, false, false, D(2026, 5, 8), 7, WD, TC ", Điều 40"},
	/* 40. Renewed denunciation, 20 plain days (Art. 37), Sat 10/4/2027:
	 * +20 = 30/4 Fri (holiday); 1–2/5 weekend; 3/5 compensatory → Tue 4/5. */
	{"denunciation", "re_resolve", D(2027, 4, 10), 0, false, false, D(2027, 5, 4), 20, PLAIN, TC ", Điều 37"},

	/* ---- petitions (Law 42/2013 Art. 28; Circular 05/2021; Decree 20/2008) ---- */

	/* 41. Answer, 10 WD, Fri 13/2/2026 (the 2021 circular's rule is in
	 * force): 14–15 weekend; 16–20 Tết; 21–22 weekend; 23, 24, 25, 26,
	 * 27/2 = 1–5; 2, 3, 4, 5, 6/3 = 6–10. */
	{"petition", "handle", D(2026, 2, 13), 0, false, false, D(2026, 3, 6), 10, WD, "Thông tư 05/2021/TT-TTCP"},
	/* 42. Thu 3/4/2025: 4/4 Fri = 1; 5–6 weekend; 7/4 Hùng Kings; 8, 9,
	 * 10, 11/4 = 2–5; 14, 15, 16, 17, 18/4 = 6–10. */
	{"petition", "handle", D(2025, 4, 3), 0, false, false, D(2025, 4, 18), 10, WD, "Luật Tiếp công dân 42/2013/QH13, Điều 28"},
	/* 43. Thu 15/4/2027: 16/4 Hùng Kings; 17–18 weekend; 19, 20, 21, 22,
	 * 23/4 = 1–5; 26, 27, 28, 29/4 = 6–9; 30/4 off; 1/5 Sat (holiday); 2/5
	 * Sun; 3/5 compensatory; 4/5 Tue = 10. */
	{"petition", "handle", D(2027, 4, 15), 0, false, false, D(2027, 5, 4), 10, WD, "10 ngày làm việc"},
	/* 44. Into the next year, Fri 24/12/2027: 27, 28, 29, 30, 31/12 = 1–5;
	 * 1/1/2028 Sat (holiday) → compensatory Mon 3/1; 4, 5, 6, 7/1 = 6–9;
	 * 8–9 weekend; 10/1 Mon = 10. */
	{"petition", "handle", D(2027, 12, 24), 0, false, false, D(2028, 1, 10), 10, WD, "Thông tư 05/2021"},
	/* 45. Forwarding, 5 WD (Decree 20/2008), Tue 29/12/2026: 30, 31/12 =
	 * 1–2; 1/1/2027 Fri off; 2–3 weekend; 4, 5, 6/1 = 3–5. */
	{"petition", "forward", D(2026, 12, 29), 0, false, false, D(2027, 1, 6), 5, WD, "Nghị định 20/2008/NĐ-CP"},
	/* 46. Qualifiers that no petition rule has are ignored: complex,
	 * remote, several places; Wed 2/9/2026 is itself a holiday: 3/9 Thu = 1,
	 * 4/9 = 2; 5–6 weekend; 7, 8, 9, 10, 11/9 = 3–7; 14, 15, 16/9 = 8–10. */
	{"petition", "handle", D(2026, 9, 2), 2, true, true, D(2026, 9, 16), 10, WD, "Thông tư 05/2021"},
};

/* ---- fixture -------------------------------------------------------------- */

static int group_setup(void **state)
{
	xsnprintf(dir, sizeof dir, "/tmp/danvan-test-deadline-table-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	xsnprintf(path, sizeof path, "%s/t.db", dir);
	if (db_open(&db, path, DB_OPEN_CREATE) || schema_migrate(db, NULL))
		return -1;
	return deadline_seed_rules(db) ? -1 : 0;
}

static int group_teardown(void **state)
{
	db_close(db);
	db = NULL;
	char f[128];
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		xsnprintf(f, sizeof f, "%s/%s", dir, files[i]);
		unlink(f);
	}
	rmdir(dir);
	return 0;
}

static void iso(char out[11], Date d)
{
	xsnprintf(out, 11, "%04d-%02d-%02d", d.y, d.m, d.d);
}

static int64_t add_case(const char *kind)
{
	static int serial;
	char code[16];
	/* any unique text will do: codes are not parsed here */
	xsnprintf(code, sizeof code, "TBLE-%04d-00", ++serial);
	assert_int_equal(db_run(db,
				"INSERT INTO cases (code, kind, status, channel, received_on, created_at,"
				" updated_at, title, content, search_key) VALUES (?, ?, 'accepted', 'desk',"
				" '2026-01-01', 0, 0, 'Bảng thời hạn', 'Nội dung', 'bang thoi han')",
				"tt", code, kind),
			 RC_OK);
	return db_last_id(db);
}

/* The newest row of a step for a case: due date and state. */
static void row_of(int64_t case_id, const char *step, char due[11], char st[12], char *basis,
		   size_t basis_size)
{
	DbStmt *s;
	assert_int_equal(db_prep(db, &s,
				 "SELECT due_on, state, basis FROM case_deadline WHERE case_id = ? AND step = ?"
				 " ORDER BY id DESC LIMIT 1",
				 "lt", case_id, step),
			 RC_OK);
	assert_int_equal(db_step(s), DB_ROW);
	xsnprintf(due, 11, "%s", db_col_text(s, 0));
	xsnprintf(st, 12, "%s", db_col_text(s, 1));
	if (basis)
		snprintf(basis, basis_size, "%s", db_col_text(s, 2));
	db_done(s);
}

static void check_date(Date got, Date want, const Row *r, const char *what)
{
	if (got.y != want.y || got.m != want.m || got.d != want.d)
		fail_msg("%s/%s from %04d-%02d-%02d (complexity %d%s%s): %s %04d-%02d-%02d, want "
			 "%04d-%02d-%02d",
			 r->kind, r->step, r->event.y, r->event.m, r->event.d, r->complexity,
			 r->remote ? ", remote" : "", r->multi_place ? ", several places" : "", what,
			 got.y, got.m, got.d, want.y, want.m, want.d);
}

/* ---- the table ------------------------------------------------------------ */

static void test_row(void **state)
{
	const Row *r = *state;
	DeadlineQuery q = {r->kind, r->step, r->complexity, r->remote, r->multi_place, {0, 0, 0}};
	DeadlineResult res;
	Rc rc = deadline_compute(db, &q, r->event, &res);
	if (rc)
		fail_msg("%s/%s: deadline_compute: %s", r->kind, r->step, rc_name(rc));
	check_date(res.due, r->due, r, "deadline_compute gives");
	assert_int_equal(res.days, r->days);
	assert_int_equal(res.working_days, r->working);
	if (!strstr(res.basis, r->basis))
		fail_msg("%s/%s: basis \"%s\" lacks \"%s\"", r->kind, r->step, res.basis, r->basis);

	/* The same through a case (the extension is not a deadline of its own:
	 * the scenarios below cover it). */
	if (str_eq(r->step, "extension"))
		return;
	int64_t c = add_case(r->kind);
	assert_int_equal(deadline_open(db, c, &q, r->event), RC_OK);
	char due[11], st[12], want[11], basis[256];
	row_of(c, r->step, due, st, basis, sizeof basis);
	iso(want, r->due);
	if (!str_eq(due, want))
		fail_msg("%s/%s: case_deadline.due_on %s, want %s", r->kind, r->step, due, want);
	assert_string_equal(st, "open");
	assert_non_null(strstr(basis, r->basis));
}

static void test_table_size(void **state)
{
	/* the issue asks for at least 40 worked cases */
	assert_true(ARRAY_LEN(rows) >= 40);
}

/* ---- scenarios on a case: extensions ---------------------------------------- */

static DeadlineQuery query(const char *kind, const char *step, int complexity)
{
	return (DeadlineQuery){kind, step, complexity, false, false, {0, 0, 0}};
}

static void expect_resolve_due(int64_t c, const char *want)
{
	char due[11], st[12];
	row_of(c, "resolve", due, st, NULL, 0);
	assert_string_equal(due, want);
}

static int64_t count_extensions(int64_t c)
{
	int64_t n = -1;
	assert_int_equal(db_get_int(db, &n,
				    "SELECT count(*) FROM case_deadline WHERE case_id = ? AND step = 'extension'"
				    " AND state = 'met'",
				    "l", c),
			 RC_OK);
	return n;
}

static void test_extension_complex_once(void **state)
{
	/* A complex denunciation (one criterion of Decree 31/2019 Art. 3):
	 * accepted Mon 4/1/2027, + 30: +27 = 31/1, +3 = Wed 3/2/2027 (Tết
	 * begins on the 5th). */
	int64_t c = add_case("denunciation");
	DeadlineQuery res = query("denunciation", "resolve", 1);
	assert_int_equal(deadline_open(db, c, &res, D(2027, 1, 4)), RC_OK);
	expect_resolve_due(c, "2027-02-03");
	/* One extension, decided on 25/1: 30 days from the due date, 3/2 +
	 * 25 = 28/2, + 5 = Fri 5/3. */
	DeadlineQuery ext = query("denunciation", "extension", 1);
	assert_int_equal(deadline_open(db, c, &ext, D(2027, 1, 25)), RC_OK);
	expect_resolve_due(c, "2027-03-05");
	/* A second one is refused (Law 25/2018 Art. 30) and changes nothing. */
	assert_int_equal(deadline_open(db, c, &ext, D(2027, 2, 26)), RC_CONFLICT);
	expect_resolve_due(c, "2027-03-05");
	assert_int_equal(count_extensions(c), 1);
}

static void test_extension_very_complex_twice(void **state)
{
	/* Very complex (two criteria or more): accepted Mon 14/12/2026, + 30:
	 * +17 = 31/12, +13 = Wed 13/1/2027. */
	int64_t c = add_case("denunciation");
	DeadlineQuery res = query("denunciation", "resolve", 2);
	assert_int_equal(deadline_open(db, c, &res, D(2026, 12, 14)), RC_OK);
	expect_resolve_due(c, "2027-01-13");
	DeadlineQuery ext = query("denunciation", "extension", 2);
	/* first: 13/1 + 30: +18 = 31/1, +12 = Fri 12/2, the first working day
	 * after Tết and its two compensatory days */
	assert_int_equal(deadline_open(db, c, &ext, D(2027, 1, 5)), RC_OK);
	expect_resolve_due(c, "2027-02-12");
	/* second: 12/2 + 30: +16 = 28/2, +14 = Sun 14/3 → Mon 15/3 */
	assert_int_equal(deadline_open(db, c, &ext, D(2027, 2, 1)), RC_OK);
	expect_resolve_due(c, "2027-03-15");
	/* a third is refused: at most 30 + 30 + 30 days */
	assert_int_equal(deadline_open(db, c, &ext, D(2027, 3, 1)), RC_CONFLICT);
	expect_resolve_due(c, "2027-03-15");
	assert_int_equal(count_extensions(c), 2);
	/* each extension is a 'met' row on the decision's date */
	char due[11], st[12];
	row_of(c, "extension", due, st, NULL, 0);
	assert_string_equal(st, "met");
	assert_string_equal(due, "2027-03-15");
}

static void test_extension_not_for_simple_or_without_resolve(void **state)
{
	/* not complex: no extension at all */
	int64_t c = add_case("denunciation");
	DeadlineQuery res = query("denunciation", "resolve", 0);
	assert_int_equal(deadline_open(db, c, &res, D(2025, 9, 8)), RC_OK);
	DeadlineQuery ext0 = query("denunciation", "extension", 0);
	assert_int_equal(deadline_open(db, c, &ext0, D(2025, 9, 20)), RC_CONFLICT);
	/* 8/9/2025 + 30 = Wed 8/10, untouched */
	expect_resolve_due(c, "2025-10-08");
	/* complex but nothing open to push (resolution already met) */
	assert_int_equal(deadline_meet(db, c, "resolve", D(2025, 10, 1)), RC_OK);
	DeadlineQuery ext1 = query("denunciation", "extension", 1);
	assert_int_equal(deadline_open(db, c, &ext1, D(2025, 10, 2)), RC_CONFLICT);
	assert_int_equal(count_extensions(c), 0);
}

/* ---- scenarios on a case: suspension ------------------------------------------- */

static void test_suspension_plain_days_into_tet(void **state)
{
	/* Complaint accepted Mon 4/1/2027: due 3/2 (as above).  Suspended Wed
	 * 20/1, resumed Fri 22/1: two days → 5/2, Tết's eve; 6–9 Tết; 10–11
	 * compensatory → Fri 12/2. */
	int64_t c = add_case("complaint");
	DeadlineQuery res = query("complaint", "resolve", 0);
	assert_int_equal(deadline_open(db, c, &res, D(2027, 1, 4)), RC_OK);
	expect_resolve_due(c, "2027-02-03");
	assert_int_equal(deadline_pause(db, c, D(2027, 1, 20)), RC_OK);
	char due[11], st[12];
	row_of(c, "resolve", due, st, NULL, 0);
	assert_string_equal(st, "paused");
	assert_int_equal(deadline_resume(db, c, D(2027, 1, 22)), RC_OK);
	row_of(c, "resolve", due, st, NULL, 0);
	assert_string_equal(st, "open");
	assert_string_equal(due, "2027-02-12");
}

static void test_suspension_working_days_across_tet(void **state)
{
	/* Initial handling of a denunciation, 7 WD from Mon 1/2/2027: 2, 3, 4/2
	 * = 1–3; 5–11/2 off; 12/2 = 4; 15, 16, 17/2 = 5–7 → due Wed 17/2.
	 * Suspended Wed 3/2: the working days left after it are 4, 12, 15, 16
	 * and 17/2 = 5.  Resumed Mon 15/2: five working days from then = 16,
	 * 17, 18, 19, 22/2 → Mon 22/2. */
	int64_t c = add_case("denunciation");
	DeadlineQuery q = query("denunciation", "initial", 0);
	assert_int_equal(deadline_open(db, c, &q, D(2027, 2, 1)), RC_OK);
	char due[11], st[12];
	row_of(c, "initial", due, st, NULL, 0);
	assert_string_equal(due, "2027-02-17");
	assert_int_equal(deadline_pause(db, c, D(2027, 2, 3)), RC_OK);
	assert_int_equal(deadline_resume(db, c, D(2027, 2, 15)), RC_OK);
	row_of(c, "initial", due, st, NULL, 0);
	assert_string_equal(st, "open");
	assert_string_equal(due, "2027-02-22");
}

static void test_suspension_same_day_changes_nothing(void **state)
{
	/* A petition answered in 10 WD from Thu 23/4/2026 → Tue 12/5 (row 3's
	 * count).  Paused and resumed on Tue 28/4: the 8 working days left (29/4,
	 * 4–8/5, 11–12/5) counted again from 28/4 end on 12/5 again. */
	int64_t c = add_case("petition");
	DeadlineQuery q = query("petition", "handle", 0);
	assert_int_equal(deadline_open(db, c, &q, D(2026, 4, 23)), RC_OK);
	assert_int_equal(deadline_pause(db, c, D(2026, 4, 28)), RC_OK);
	assert_int_equal(deadline_resume(db, c, D(2026, 4, 28)), RC_OK);
	char due[11], st[12];
	row_of(c, "handle", due, st, NULL, 0);
	assert_string_equal(due, "2026-05-12");
	assert_string_equal(st, "open");
}

static void test_extension_while_suspended(void **state)
{
	/* A complex denunciation accepted Mon 5/1/2026: + 30 = Wed 4/2.
	 * Suspended Tue 20/1; extended on Sun 25/1 while suspended (the paused
	 * deadline is pushed): 4/2 + 30 = +24 → 28/2, +6 → Fri 6/3.  Resumed
	 * Mon 2/2: 13 days stopped → Thu 19/3. */
	int64_t c = add_case("denunciation");
	DeadlineQuery res = query("denunciation", "resolve", 1);
	assert_int_equal(deadline_open(db, c, &res, D(2026, 1, 5)), RC_OK);
	expect_resolve_due(c, "2026-02-04");
	assert_int_equal(deadline_pause(db, c, D(2026, 1, 20)), RC_OK);
	DeadlineQuery ext = query("denunciation", "extension", 1);
	assert_int_equal(deadline_open(db, c, &ext, D(2026, 1, 25)), RC_OK);
	char due[11], st[12];
	row_of(c, "resolve", due, st, NULL, 0);
	assert_string_equal(due, "2026-03-06");
	assert_string_equal(st, "paused");
	assert_int_equal(deadline_resume(db, c, D(2026, 2, 2)), RC_OK);
	row_of(c, "resolve", due, st, NULL, 0);
	assert_string_equal(due, "2026-03-19");
	assert_string_equal(st, "open");
}

int main(void)
{
	enum { FIXED = 9 };
	size_t n = ARRAY_LEN(rows) + FIXED;
	struct CMUnitTest *tests = xcalloc(n, sizeof *tests);
	char (*names)[96] = xcalloc(ARRAY_LEN(rows), sizeof *names);
	for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
		const Row *r = &rows[i];
		xsnprintf(names[i], sizeof names[i], "row %zu: %s/%s %04d-%02d-%02d c%d%s%s", i,
			  r->kind, r->step, r->event.y, r->event.m, r->event.d, r->complexity,
			  r->remote ? " remote" : "", r->multi_place ? " multi" : "");
		tests[i] = (struct CMUnitTest){names[i], test_row, NULL, NULL, (void *)r};
	}
	size_t k = ARRAY_LEN(rows);
#define T(f) tests[k++] = (struct CMUnitTest)cmocka_unit_test(f)
	T(test_table_size);
	T(test_extension_complex_once);
	T(test_extension_very_complex_twice);
	T(test_extension_not_for_simple_or_without_resolve);
	T(test_suspension_plain_days_into_tet);
	T(test_suspension_working_days_across_tet);
	T(test_suspension_same_day_changes_nothing);
	T(test_extension_while_suspended);
#undef T
	/* one slot spare: keep FIXED ≥ the count above */
	int status = _cmocka_run_group_tests("test_deadline_table", tests, k, group_setup,
					     group_teardown);
	free(tests);
	free(names);
	return status;
}
