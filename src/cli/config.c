/*
 * config.c — see config.h.  The config file holds "key = value" lines:
 *   db = /var/lib/danvan/danvan.db
 *   listen = 127.0.0.1:8080
 *   data = /usr/share/danvan/data
 *   threads = 2
 *   smtp_url = smtp://127.0.0.1:25      (e-mail; unset = no e-mail is sent)
 *   smtp_from = danvan@example.gov.vn
 *   smtp_user = …   smtp_password = …   (optional; TLS is then required)
 *   jobs_interval = 60                  (seconds; -1 = run `danvan jobs run-once` from cron)
 *   site_url = https://danvan.example.gov.vn   (absolute links in feeds, sitemap, e-mail)
 *   trust_proxy = yes                   (behind nginx on the same host: client address
 *                                        from the last X-Forwarded-For entry)
 *   db_memory = 48                      (MiB: SQLite's page caches of all connections together)
 * Unknown keys are errors, so a typo never passes silently.
 */
#include "config.h"
#include "../base/text.h"
#include "../store/db.h"

static const char *const keys[] = {"db", "listen", "data", "threads", "smtp_url", "smtp_from",
				   "smtp_user", "smtp_password", "jobs_interval", "site_url", "trust_proxy",
				   "db_memory"};
static char *file_values[ARRAY_LEN(keys)];

static int read_config(const char *path, bool must_exist)
{
	char *text = NULL;
	Rc rc = util_read_file(path, 1 << 20, &text, NULL);
	if (rc == RC_NOT_FOUND && !must_exist)
		return 0;
	if (rc) {
		fprintf(stderr, "danvan: cannot read config file %s\n", path);
		return 1;
	}
	int lineno = 0, status = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		text_trim(line);
		if (!*line)
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			fprintf(stderr, "danvan: %s:%d: expected 'key = value'\n", path, lineno);
			status = 1;
			break;
		}
		*eq = 0;
		char *key = text_trim(line), *value = text_trim(eq + 1);
		size_t k = 0;
		while (k < ARRAY_LEN(keys) && !str_eq(keys[k], key))
			k++;
		if (k == ARRAY_LEN(keys)) {
			fprintf(stderr, "danvan: %s:%d: unknown setting '%s'\n", path, lineno, key);
			status = 1;
			break;
		}
		free(file_values[k]);
		file_values[k] = xstrdup(value);
	}
	free(text);
	return status;
}

static const char *pick(const char *flag, const char *envname, int file_index, const char *def)
{
	if (flag)
		return flag;
	const char *e = getenv(envname);
	if (e && *e)
		return e;
	if (file_values[file_index])
		return file_values[file_index];
	return def;
}

int config_parse_args(CliEnv *env, int argc, char **argv, char **rest, int *nrest)
{
	const char *f_db = NULL, *f_listen = NULL, *f_data = NULL, *f_config = NULL, *f_threads = NULL;
	*nrest = 0;
	for (int i = 1; i < argc; i++) {
		const char **slot = NULL;
		const char *a = argv[i];
		const char *names[] = {"--db", "--listen", "--data", "--config", "--threads"};
		const char **slots[] = {&f_db, &f_listen, &f_data, &f_config, &f_threads};
		for (size_t k = 0; k < ARRAY_LEN(names); k++) {
			size_t n = strlen(names[k]);
			if (strncmp(a, names[k], n) == 0 && (a[n] == 0 || a[n] == '=')) {
				slot = slots[k];
				if (a[n] == '=') {
					*slot = a + n + 1;
				} else if (i + 1 < argc) {
					*slot = argv[++i];
				} else {
					fprintf(stderr, "danvan: %s needs a value\n", names[k]);
					return 2;
				}
			}
		}
		if (!slot)
			rest[(*nrest)++] = argv[i];
	}
	const char *cfg = f_config ? f_config : getenv("DANVAN_CONFIG");
	if (cfg && *cfg) {
		if (read_config(cfg, true))
			return 2;
	} else if (read_config("danvan.conf", false)) {
		return 2;
	}
	env->config_path = cfg;
	env->db_path = pick(f_db, "DANVAN_DB", 0, "var/danvan.db");
	env->listen = pick(f_listen, "DANVAN_LISTEN", 1, "127.0.0.1:8080");
	env->data_dir = pick(f_data, "DANVAN_DATA", 2, "data");
	const char *threads = pick(f_threads, "DANVAN_THREADS", 3, "0");
	int64_t t = 0;
	if (!util_parse_i64(threads, 0, 256, &t)) {
		fprintf(stderr, "danvan: threads must be a number from 0 to 256\n");
		return 2;
	}
	env->threads = (int)t;
	env->smtp_url = pick(NULL, "DANVAN_SMTP_URL", 4, NULL);
	env->smtp_from = pick(NULL, "DANVAN_SMTP_FROM", 5, "danvan@localhost");
	env->smtp_user = pick(NULL, "DANVAN_SMTP_USER", 6, NULL);
	env->smtp_password = pick(NULL, "DANVAN_SMTP_PASSWORD", 7, NULL);
	const char *interval = pick(NULL, "DANVAN_JOBS_INTERVAL", 8, "0");
	if (!util_parse_i64(interval, -1, 86400, &t)) {
		fprintf(stderr, "danvan: jobs_interval must be -1 or 0 to 86400 seconds\n");
		return 2;
	}
	env->jobs_interval = (int)t;
	const char *tp = pick(NULL, "DANVAN_TRUST_PROXY", 10, "no");
	if (!str_eq(tp, "yes") && !str_eq(tp, "no")) {
		fprintf(stderr, "danvan: trust_proxy must be yes or no\n");
		return 2;
	}
	env->trust_proxy = str_eq(tp, "yes");
	const char *memory = pick(NULL, "DANVAN_DB_MEMORY", 11, "48");
	if (!util_parse_i64(memory, 8, 65536, &t)) {
		fprintf(stderr, "danvan: db_memory must be a number of MiB from 8 to 65536\n");
		return 2;
	}
	/* One budget for the whole process, however many workers it runs. */
	db_memory_limit(t * 1024 * 1024);
	/* The portal reads DANVAN_SITE_URL; the file's value fills it in. */
	if (file_values[9] && !getenv("DANVAN_SITE_URL"))
		setenv("DANVAN_SITE_URL", file_values[9], 1);
	return 0;
}

void config_release(void)
{
	for (size_t i = 0; i < ARRAY_LEN(file_values); i++) {
		free(file_values[i]);
		file_values[i] = NULL;
	}
}

bool config_split_listen(const char *listen, char *host, size_t host_len, int *port)
{
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	if (!colon || colon == listen || (size_t)(colon - listen) >= host_len)
		return false;
	int64_t p;
	if (!util_parse_i64(colon + 1, 0, 65535, &p))
		return false;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = 0;
	*port = (int)p;
	return true;
}
