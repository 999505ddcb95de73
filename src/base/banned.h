/*
 * banned.h — libc calls the project never uses (after git's banned.h).
 *
 * Each name is redefined to an undeclared identifier, so any use is a
 * compile error that names the reason.  Included last by util.h, which
 * every project file includes.  Safe replacements: buf_printf/xsnprintf
 * for sprintf, buf_* for strcpy/strcat, strtol with checks (util_parse_i64)
 * for atoi, gmtime_r/localtime_r for gmtime/localtime.
 */
#ifndef DANVAN_BANNED_H
#define DANVAN_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef gets
#define gets(x) BANNED(gets)

#endif
