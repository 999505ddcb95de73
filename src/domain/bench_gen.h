/*
 * bench_gen.h — data and measurements for bench/cases.sh (docs/performance.md).
 *
 *   bench_gen_cases   N realistic cases written straight into the tables
 *                     (cases, case_fts, case_event, case_deadline) in big
 *                     transactions: a million in well under a minute, where
 *                     the real intake (demo_cases) makes a few hundred a
 *                     second.  Needs `danvan demo --cases 0` first (the
 *                     communes, organisations, deadline rules, field tree
 *                     and vault of the demo).
 *   bench_commit_rate SQLite's raw durable commit rate on a disk: one row
 *                     inserted per write transaction, in a scratch database
 *                     opened exactly like the real one (WAL,
 *                     synchronous=FULL): the ceiling for anything that
 *                     commits once per request.
 *   bench_submit      public submissions as POST /gui-don makes them minus
 *                     HTTP: case_intake_log_prepare and _commit (actor
 *                     NULL, channel "web") from one submitter or several at
 *                     once; the cases are built from the log by the intake
 *                     builder the caller runs.
 *
 * Never used by the server: these write test data and are reached only
 * through the `bench-*` subcommands (src/cli/cmd_bench.c).
 */
#ifndef DANVAN_BENCH_GEN_H
#define DANVAN_BENCH_GEN_H

#include "../store/db.h"

typedef void (*BenchProgress)(const char *what, long done, long total);

/* Cases per write transaction in bench_gen_cases. */
#define BENCH_GEN_BATCH 50000

/* N cases received over the 730 days up to today (Vietnam), in date
 * order, spread over the communes of the demo's seven provinces: about
 * 60 % petitions, 25 % complaints, 15 % denunciations (a tenth of those
 * anonymous, the others with a sealed identity and a pseudonym); statuses
 * by age — recent cases received, classified or in verification with an
 * open deadline, older ones mostly decided or closed with the deadline
 * met, about 8 % stalled past their deadline.  Titles and contents are
 * drawn from templates and phrases in Vietnamese so that words have the
 * spread of real petitions (land and compensation common, religion rare).
 * Deterministic for a given seed and count, except the tracking codes
 * (random, like real ones).  RC_NOT_FOUND when the demo's communes are
 * missing.  *made = cases written (also on error: the batches committed). */
Rc bench_gen_cases(Db *db, long n, uint64_t seed, BenchProgress progress, long *made);

typedef struct BenchRate {
	long count;     /* transactions committed */
	double seconds; /* wall time they took */
	double per_sec;
	double p50_ms, p99_ms, max_ms; /* per transaction */
} BenchRate;

/* Insert one row per transaction into a scratch database at `path`
 * (created, and removed afterwards with its -wal and -shm) for `seconds`.
 * RC_IO when the scratch file cannot be made. */
Rc bench_commit_rate(const char *path, double seconds, BenchRate *out);

/* Submissions through the intake log for `seconds` (or `max_count` when
 * > 0, whichever comes first) from `n` submitters, each on its own
 * connection dbs[i] (and its own thread when n > 1), written through the
 * log's group commit when the caller has started it (case_intake_log_start),
 * as POST /gui-don does.  The texts and communes vary like bench_gen_cases'.
 * A submitter stops at its first error, which is returned (out holds what
 * was done; latencies are per submission, queueing included). */
Rc bench_submit(Db **dbs, int n, double seconds, long max_count, BenchRate *out);

#endif
