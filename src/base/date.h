/*
 * date.h — civil dates without time zones, and Vietnamese formatting.
 *
 * A Date is a proleptic Gregorian calendar date.  Day numbers count days
 * since 1970-01-01 (negative before), so differences and "add N days" are
 * integer arithmetic (Howard Hinnant's days_from_civil algorithm).
 * Vietnam has no daylight saving: local time is UTC+7 everywhere, so
 * "today" is computed from UTC plus 7 hours, independent of TZ.
 *
 * Working days, holidays and the lunar calendar come later (cases issue)
 * and live here too.
 */
#ifndef DANVAN_DATE_H
#define DANVAN_DATE_H

#include "util.h"
#include "buf.h"

typedef struct Date {
	int y, m, d;
} Date;

#define VN_UTC_OFFSET_SECONDS (7 * 3600)

bool date_valid(Date d);
int64_t date_to_days(Date d);
Date date_from_days(int64_t days);
/* 0 = Sunday … 6 = Saturday */
int date_weekday(Date d);
Date date_add_days(Date d, int64_t n);
/* Today in Vietnam (UTC+7) for a UNIX time. */
Date date_vn_from_unix(int64_t t);
/* Parse "YYYY-MM-DD" strictly; false on anything else or an invalid date. */
bool date_parse_iso(const char *s, Date *out);
/* "2026-11-28" */
void date_format_iso(Buf *b, Date d);
/* The same into a fixed buffer, and today's in Vietnam. */
void date_iso(Date d, char out[11]);
void date_vn_today_iso(char out[11]);
/* "Thứ Bảy, 28/11/2026" (no leading zeros; Sunday is "Chủ Nhật"). */
void date_format_vi_long(Buf *b, Date d);
/* "28/11/2026" */
void date_format_vi_short(Buf *b, Date d);
/* "Saturday, 28 November 2026" */
void date_format_en_long(Buf *b, Date d);
/* UNIX time → "2026-11-28T09:15:00+07:00" in Vietnam time. */
void date_format_vn_timestamp(Buf *b, int64_t t);

#endif
