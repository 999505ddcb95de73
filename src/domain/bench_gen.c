/*
 * bench_gen.c — a million realistic cases in under a minute, SQLite's raw
 * commit rate, and public submissions without HTTP (bench_gen.h), for
 * bench/cases.sh.
 *
 * Why not the real intake: case_intake and case_act write the audit log,
 * the outbox, the similarity links and one deadline per step, and each
 * case costs milliseconds; a million would take hours.  The rows written
 * here are the ones the list and search pages read — cases (with the
 * folded search key), case_fts, case_event, case_deadline — with the
 * values the real flow would have left (statuses by age, the deadline of
 * the current or last statutory step computed from the rules and the
 * calendar, sealed identities and pseudonyms for denunciations).  No audit
 * entries, links, outbox rows or person keys (repeat detection) are made.
 *
 * Speed: one prepared statement per table, reused from the connection's
 * cache; BENCH_GEN_BATCH cases per transaction; due dates memoised per
 * (rule, event day) since a million cases share fewer than a thousand
 * event days; identities sealed once into a small pool of sealed boxes
 * (a sealed box is a few dozen microseconds, the rest of a case a few).
 */
#include "bench_gen.h"

#include <pthread.h>
#include "case.h"
#include "deadline.h"
#include "user.h"
#include "vault.h"
#include "../base/crypto.h"
#include "../base/date.h"
#include "../base/text.h"

#include <time.h>
#include <unistd.h>

/* ---- randomness ----------------------------------------------------------- */

typedef struct Rng {
	uint64_t s;
} Rng;

static uint32_t rnd(Rng *g)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return (uint32_t)(g->s >> 11);
}

static int pick(Rng *g, int n)
{
	return (int)(rnd(g) % (uint32_t)n);
}

static bool chance(Rng *g, int percent)
{
	return pick(g, 100) < percent;
}

static int between(Rng *g, int lo, int hi)
{
	return lo + pick(g, hi - lo + 1);
}

/* ---- vocabulary ----------------------------------------------------------- */

/* kinds: bit per CaseKind the template suits (the kind is drawn first). */
#define PET (1u << KIND_PETITION)
#define COM (1u << KIND_COMPLAINT)
#define DEN (1u << KIND_DENUNCIATION)

typedef struct Template {
	const char *field;
	unsigned kinds;
	int weight;
	const char *title;   /* %P place, %R project, %C commune */
	const char *content;
} Template;

static const Template templates[] = {
	{"land.dispute", PET | COM, 8, "Đề nghị giải quyết tranh chấp ranh giới đất với hộ liền kề tại %P",
	 "Gia đình tôi sử dụng ổn định thửa đất tại %P, %C từ nhiều năm nay. Hộ liền kề xây tường lấn sang phần đất của gia đình. Đã hòa giải ở thôn nhưng không thành."},
	{"land.certificate", PET | COM, 6, "Kiến nghị về việc chậm cấp giấy chứng nhận quyền sử dụng đất",
	 "Hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất của gia đình tôi tại %P, %C nộp từ lâu nhưng đến nay chưa được giải quyết, cũng không được thông báo lý do."},
	{"land.recovery", COM, 7, "Khiếu nại quyết định thu hồi đất nông nghiệp tại %P",
	 "Tôi không đồng ý với quyết định thu hồi đất nông nghiệp của gia đình để thực hiện %R vì diện tích thu hồi không đúng với thực tế sử dụng và chưa được thông báo trước theo quy định."},
	{"land", PET | DEN, 5, "Phản ánh việc san lấp, xây dựng trái phép trên đất nông nghiệp tại %P",
	 "Thời gian gần đây có hộ dân tự ý san lấp ruộng lúa, xây dựng công trình kiên cố trên đất nông nghiệp tại %P, %C, ảnh hưởng đến việc tưới tiêu của các hộ xung quanh."},
	{"land", PET, 3, "Kiến nghị điều chỉnh quy hoạch sử dụng đất tại %C",
	 "Quy hoạch sử dụng đất mới tại %P, %C chuyển khu đất ở ổn định của nhiều hộ sang đất công cộng mà không lấy ý kiến nhân dân."},
	{"compensation", COM, 8, "Khiếu nại về đơn giá bồi thường khi giải phóng mặt bằng %R",
	 "Gia đình tôi bị thu hồi đất để thực hiện %R. Đơn giá bồi thường đất và cây cối, hoa màu thấp hơn nhiều so với giá thị trường; phần hỗ trợ chuyển đổi nghề nghiệp chưa được tính."},
	{"compensation", PET | COM, 5, "Kiến nghị bố trí tái định cư cho các hộ bị thu hồi đất ở tại %P",
	 "Các hộ dân tại %P, %C bị thu hồi toàn bộ đất ở để thực hiện %R nhưng đến nay chưa được bố trí đất tái định cư, phải đi thuê nhà."},
	{"compensation", DEN, 2, "Tố cáo việc lập khống hồ sơ bồi thường tại %R",
	 "Tôi tố cáo một số cán bộ tổ công tác giải phóng mặt bằng %R đã lập khống hồ sơ bồi thường cho các hộ không có đất bị thu hồi tại %P, %C."},
	{"admin_procedures", PET | COM, 6, "Phản ánh việc giải quyết thủ tục hành chính chậm so với giấy hẹn",
	 "Tôi nộp hồ sơ tại bộ phận một cửa của %C, theo giấy hẹn đã quá hạn nhiều ngày nhưng chưa nhận được kết quả, cán bộ tiếp nhận không giải thích lý do."},
	{"admin_procedures", PET, 3, "Kiến nghị đơn giản hóa hồ sơ chứng thực tại %C",
	 "Khi làm thủ tục chứng thực, người dân phải đi lại nhiều lần do yêu cầu bổ sung giấy tờ không có trong quy định. Đề nghị niêm yết công khai thành phần hồ sơ."},
	{"environment", PET | DEN, 5, "Phản ánh cơ sở sản xuất gây ô nhiễm môi trường tại %P",
	 "Cơ sở sản xuất tại %P, %C thường xuyên xả nước thải chưa qua xử lý ra mương tưới, gây mùi hôi và làm chết lúa, cá."},
	{"environment", PET, 4, "Kiến nghị thu gom rác thải sinh hoạt tại %P",
	 "Rác thải sinh hoạt tại %P, %C không được thu gom thường xuyên, tồn đọng nhiều ngày gây ô nhiễm."},
	{"environment", PET, 2, "Phản ánh tiếng ồn, khói bụi từ xưởng gỗ tại %P",
	 "Xưởng gỗ tại %P hoạt động cả ban đêm, tiếng ồn và khói bụi ảnh hưởng sức khỏe người dân, nhất là trẻ em và người già."},
	{"social_policy.merit", PET | COM, 3, "Đề nghị xem xét chế độ chính sách đối với người có công",
	 "Bố tôi tham gia kháng chiến, có giấy tờ chứng minh nhưng hồ sơ đề nghị hưởng chế độ tại %C chưa được xem xét."},
	{"social_policy.protection", PET | COM, 3, "Kiến nghị về việc bình xét hộ nghèo, cận nghèo chưa công khai tại %P",
	 "Việc bình xét hộ nghèo, cận nghèo năm nay tại %P, %C chưa được tổ chức công khai, dân chủ; một số hộ khó khăn chưa được đưa vào danh sách."},
	{"officials", PET, 3, "Phản ánh thái độ, tác phong của cán bộ tiếp dân",
	 "Khi đến liên hệ công việc tại %C, tôi bị cán bộ tiếp nhận có thái độ thiếu tôn trọng, hẹn nhiều lần."},
	{"officials", DEN, 6, "Tố cáo cán bộ có dấu hiệu vụ lợi trong việc xác nhận hồ sơ đất đai",
	 "Tôi tố cáo cán bộ địa chính có hành vi yêu cầu nộp tiền ngoài quy định để ký xác nhận hồ sơ đất đai của các hộ dân tại %P, %C. Tôi có chứng cứ kèm theo."},
	{"officials", DEN, 4, "Tố cáo sai phạm trong quản lý, sử dụng quỹ đóng góp của nhân dân tại %P",
	 "Các khoản đóng góp xây dựng nhà văn hóa tại %P, %C không được công khai thu, chi. Tôi tố cáo ban quản lý có dấu hiệu sử dụng sai mục đích."},
	{"religion", PET, 2, "Kiến nghị về việc sửa chữa cơ sở thờ tự tại %P",
	 "Đình làng tại %P, %C xuống cấp nghiêm trọng. Ban quản lý di tích và nhân dân đề nghị được hướng dẫn thủ tục tu bổ, sửa chữa theo quy định."},
	{"religion", PET | DEN, 1, "Phản ánh hoạt động tụ tập truyền đạo trái pháp luật tại %P",
	 "Một số người lạ thường xuyên đến %P tụ tập, vận động người dân theo đạo, gây mất trật tự và ảnh hưởng đời sống sinh hoạt."},
	{"ethnic", PET, 1, "Kiến nghị hỗ trợ nước sạch cho đồng bào dân tộc thiểu số tại %P",
	 "Nhiều hộ đồng bào dân tộc thiểu số tại %P, %C thiếu nước sinh hoạt vào mùa khô. Đề nghị đầu tư công trình cấp nước tập trung."},
	{"rural_security", PET, 2, "Phản ánh tình trạng trộm cắp gia súc, gia cầm tại %P",
	 "Thời gian qua tại %P, %C liên tiếp xảy ra trộm cắp trâu bò, gà vịt vào ban đêm. Đề nghị công an xã tăng cường tuần tra."},
	{"other", PET, 4, "Kiến nghị sửa chữa tuyến đường liên thôn tại %P",
	 "Tuyến đường liên thôn tại %P, %C xuống cấp, nhiều ổ gà, mùa mưa đi lại rất khó khăn, nhất là học sinh."},
	{"other", PET, 2, "Phản ánh đèn chiếu sáng công cộng hỏng tại %P",
	 "Hệ thống đèn chiếu sáng trên trục đường chính tại %P hỏng đã lâu, buổi tối đi lại nguy hiểm."},
};

/* Closing sentences: 1–3 per case, so texts differ beyond the template. */
static const char *const details[] = {
	"Đề nghị cơ quan có thẩm quyền xem xét, giải quyết dứt điểm.",
	"Đề nghị chính quyền kiểm tra, xử lý nghiêm theo quy định của pháp luật.",
	"Gia đình tôi đã nhiều lần gửi đơn nhưng chưa nhận được trả lời bằng văn bản.",
	"Kính mong lãnh đạo quan tâm, chỉ đạo giải quyết sớm.",
	"Tôi xin cam đoan những nội dung trình bày trên là đúng sự thật.",
	"Kèm theo đơn là bản sao các giấy tờ, hình ảnh liên quan.",
	"Việc này kéo dài đã lâu, gây bức xúc trong nhân dân.",
	"Nhiều hộ dân cùng ký tên đề nghị.",
	"Đề nghị tổ chức đối thoại với các hộ dân bị ảnh hưởng.",
	"Đề nghị công khai kết quả xác minh cho người dân được biết.",
	"Trưởng thôn đã được báo cáo nhưng chưa có biện pháp xử lý.",
	"Đề nghị đo đạc lại diện tích theo bản đồ địa chính năm 2015.",
	"Đề nghị xem xét lại phương án bồi thường, hỗ trợ cho phù hợp thực tế.",
	"Tôi đề nghị được gặp trực tiếp lãnh đạo để trình bày.",
	"Sự việc xảy ra từ đầu năm đến nay chưa được khắc phục.",
	"Đề nghị chuyển đơn đến cơ quan có thẩm quyền nếu không thuộc thẩm quyền.",
};

static const char *const places[] = {
	"thôn Đông", "thôn Đoài", "thôn Thượng", "thôn Hạ", "xóm Mới", "tổ dân phố số 3",
	"tổ dân phố số 7", "khu dân cư Bắc Sơn", "thôn Trung Hòa", "xóm Chùa", "thôn An Lạc",
	"khu phố Hưng Đạo", "thôn Phú Mỹ", "xóm Bến", "tổ dân phố Tân Tiến", "khu tái định cư Đồng Mai",
	"thôn Lương Xá", "xóm Đình", "thôn Yên Vĩnh", "tổ dân phố số 12",
};
static const char *const projects[] = {
	"dự án mở rộng quốc lộ", "dự án khu công nghiệp", "dự án đường vành đai",
	"dự án khu đô thị mới", "dự án trạm biến áp 110 kV", "dự án kè chống sạt lở",
	"dự án nâng cấp đê tả sông", "dự án cụm công nghiệp làng nghề", "dự án trường học liên cấp",
	"dự án bãi xử lý rác thải tập trung",
};
static const char *const families[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi",
				       "Đỗ", "Ngô", "Dương", "Lý"};
static const char *const middles[] = {"Văn", "Thị", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Hữu"};
static const char *const givens[] = {"An", "Bình", "Chiến", "Dũng", "Giang", "Hà", "Hải", "Hòa",
				     "Hùng", "Khánh", "Lan", "Liên", "Long", "Mai", "Nam", "Nga",
				     "Phúc", "Quý", "Sơn", "Tâm", "Thắng", "Thảo", "Thủy", "Tú",
				     "Vinh", "Yến"};
static const char *const channels[] = {"web", "web", "web", "web", "web", "web", "web", "desk",
				       "desk", "desk", "desk", "desk", "post", "post", "post", "phone",
				       "forwarded", "forwarded", "dialogue", "online_reception"};

/* ---- folding, memoised ------------------------------------------------------ */

/* text_search_key costs more than writing a case's rows.  Every text here
 * is a concatenation of fixed pieces (template segments, places, commune
 * names, phrases) and numbers, and folding maps runs of spaces and
 * punctuation to one space: so the key of the whole is the keys of the
 * pieces joined by single spaces, as long as pieces meet at a space or a
 * punctuation mark (they all do).  Each piece is folded once; the first
 * cases are checked against text_search_key (make_text_checked). */
#define FOLD_SLOTS 8192

typedef struct FoldCache {
	const char *p[FOLD_SLOTS];
	size_t n[FOLD_SLOTS];
	char *key[FOLD_SLOTS];
} FoldCache;

static void fold_cache_release(FoldCache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < FOLD_SLOTS; i++)
		free(c->key[i]);
	free(c);
}

/* The folded key of p[0..n); p must stay valid (static text, commune names). */
static const char *fold_piece(FoldCache *c, const char *p, size_t n)
{
	size_t h = (size_t)(((uintptr_t)p >> 3) * 2654435761u ^ n * 40503u) % FOLD_SLOTS;
	for (size_t probe = 0; probe < FOLD_SLOTS; probe++, h = (h + 1) % FOLD_SLOTS) {
		if (c->p[h] == p && c->n[h] == n)
			return c->key[h];
		if (!c->p[h]) {
			char *raw = xstrndup(p, n);
			c->key[h] = text_search_key(raw);
			free(raw);
			c->p[h] = p;
			c->n[h] = n;
			return c->key[h];
		}
	}
	return ""; /* full: cannot happen with this vocabulary */
}

/* A case's title and content, and their folded key, drawn from g. */
typedef struct Text {
	Buf title, content, key;
	const Template *t;
	FoldCache *fold;
} Text;

static void key_add(Buf *key, const char *folded)
{
	if (!*folded)
		return;
	if (key->len)
		buf_putc(key, ' ');
	buf_puts(key, folded);
}

/* Append p[0..n) to raw and its key to the key. */
static void put(Text *x, Buf *raw, const char *p, size_t n)
{
	buf_append(raw, p, n);
	key_add(&x->key, fold_piece(x->fold, p, n));
}

static void put_int(Text *x, Buf *raw, int v)
{
	char d[16];
	xsnprintf(d, sizeof d, "%d", v);
	buf_puts(raw, d);
	key_add(&x->key, d);
}

/* Replace %P, %R and %C. */
static void expand(Text *x, Buf *raw, const char *text, const char *place, const char *project,
		   const char *commune)
{
	const char *seg = text;
	for (const char *p = text; *p; p++) {
		if (p[0] == '%' && (p[1] == 'P' || p[1] == 'R' || p[1] == 'C')) {
			put(x, raw, seg, (size_t)(p - seg));
			const char *v = p[1] == 'P' ? place : p[1] == 'R' ? project : commune;
			put(x, raw, v, strlen(v));
			p++;
			seg = p + 1;
		}
	}
	put(x, raw, seg, strlen(seg));
}

static const Template *pick_template(Rng *g, CaseKind kind)
{
	int total = 0;
	for (size_t i = 0; i < ARRAY_LEN(templates); i++)
		if (templates[i].kinds & (1u << kind))
			total += templates[i].weight;
	int w = pick(g, total);
	for (size_t i = 0; i < ARRAY_LEN(templates); i++) {
		if (!(templates[i].kinds & (1u << kind)))
			continue;
		if (w < templates[i].weight)
			return &templates[i];
		w -= templates[i].weight;
	}
	return &templates[0];
}

static const char S_PLOT[] = " Thửa đất số ";
static const char S_MAP[] = ", tờ bản đồ số ";
static const char S_YEAR[] = " Sự việc bắt đầu từ năm ";
static const char S_DOT[] = ".";
static const char S_SPACE[] = " ";

static void make_text(Rng *g, CaseKind kind, const char *commune, Text *x)
{
	buf_reset(&x->title);
	buf_reset(&x->content);
	buf_reset(&x->key);
	x->t = pick_template(g, kind);
	const char *place = places[pick(g, ARRAY_LEN(places))];
	const char *project = projects[pick(g, ARRAY_LEN(projects))];
	/* the search key is of "title\ncontent" (case_intake) */
	expand(x, &x->title, x->t->title, place, project, commune);
	expand(x, &x->content, x->t->content, place, project, commune);
	/* a figure or two: plot numbers and years are what makes texts unique */
	if (chance(g, 40)) {
		put(x, &x->content, S_PLOT, sizeof S_PLOT - 1);
		put_int(x, &x->content, between(g, 1, 900));
		put(x, &x->content, S_MAP, sizeof S_MAP - 1);
		put_int(x, &x->content, between(g, 1, 60));
		put(x, &x->content, S_DOT, 1);
	} else if (chance(g, 30)) {
		put(x, &x->content, S_YEAR, sizeof S_YEAR - 1);
		put_int(x, &x->content, between(g, 1995, 2025));
		put(x, &x->content, S_DOT, 1);
	}
	int n = between(g, 1, 3);
	for (int i = 0; i < n; i++) {
		const char *d = details[pick(g, ARRAY_LEN(details))];
		put(x, &x->content, S_SPACE, 1);
		put(x, &x->content, d, strlen(d));
	}
}

/* make_text, with the key checked against text_search_key for the first
 * `check` calls: the joined key must be exactly what intake would store. */
static Rc make_text_checked(Rng *g, CaseKind kind, const char *commune, Text *x, long *check)
{
	make_text(g, kind, commune, x);
	if (*check <= 0)
		return RC_OK;
	(*check)--;
	Buf all = BUF_INIT;
	buf_printf(&all, "%s\n%s", buf_cstr(&x->title), buf_cstr(&x->content));
	char *key = text_search_key(buf_cstr(&all));
	bool same = str_eq(key, buf_cstr(&x->key));
	if (!same)
		fprintf(stderr, "bench_gen: folded key differs:\n  %s\n  %s\n", key, buf_cstr(&x->key));
	free(key);
	buf_release(&all);
	return same ? RC_OK : RC_INTERNAL;
}

/* ---- the demo's places and people ---------------------------------------- */

typedef struct Commune {
	int64_t unit_id, pc_org;
	char *name;
	int prov;
} Commune;

typedef struct Province {
	int64_t pc_org, reception_id, handler_id;
	char reception[48], handler[48];
} Province;

enum { NPROV = 7 };
static const char prov_codes[NPROV][3] = {"01", "31", "22", "33", "37", "24", "25"};
static const char *const prov_slugs[NPROV] = {"ha-noi", "hai-phong", "quang-ninh", "hung-yen",
					      "ninh-binh", "bac-ninh", "phu-tho"};

typedef struct World {
	Commune *communes;
	size_t ncomm;
	Province provs[NPROV];
	int64_t field_ids[ARRAY_LEN(templates)];
} World;

static void world_release(World *w)
{
	for (size_t i = 0; i < w->ncomm; i++)
		free(w->communes[i].name);
	free(w->communes);
	memset(w, 0, sizeof *w);
}

static Rc load_province(Db *db, int i, Province *p)
{
	char code[16];
	xsnprintf(code, sizeof code, "p%s-pc", prov_codes[i]);
	Rc rc = db_get_int(db, &p->pc_org, "SELECT id FROM org WHERE code = ?", "t", code);
	xsnprintf(p->reception, sizeof p->reception, "%s.reception", prov_slugs[i]);
	xsnprintf(p->handler, sizeof p->handler, "%s.handler", prov_slugs[i]);
	if (!rc)
		rc = user_find_login(db, p->reception, &p->reception_id);
	if (!rc)
		rc = user_find_login(db, p->handler, &p->handler_id);
	return rc;
}

static Rc world_load(Db *db, World *w)
{
	memset(w, 0, sizeof *w);
	Rc rc = RC_OK;
	for (int i = 0; i < NPROV && !rc; i++)
		rc = load_province(db, i, &w->provs[i]);
	size_t cap = 0;
	for (int p = 0; p < NPROV && !rc; p++) {
		DbStmt *st;
		rc = db_prep(db, &st,
			     "SELECT u.id, u.name, o.id FROM unit u"
			     " JOIN unit pr ON pr.id = u.province_id"
			     " JOIN org o ON o.code = 'c' || u.code || '-pc'"
			     " WHERE pr.code = ? AND pr.valid_to IS NULL AND u.level = 'commune'"
			     " AND u.valid_to IS NULL ORDER BY u.code",
			     "t", prov_codes[p]);
		if (rc)
			break;
		int s;
		while ((s = db_step(st)) == DB_ROW) {
			if (w->ncomm == cap) {
				cap = cap ? cap * 2 : 1024;
				w->communes = xrealloc(w->communes, cap * sizeof *w->communes);
			}
			Commune *c = &w->communes[w->ncomm++];
			c->unit_id = db_col_int(st, 0);
			c->name = xstrdup(db_col_text(st, 1));
			c->pc_org = db_col_int(st, 2);
			c->prov = p;
		}
		db_done(st);
		if (s < 0)
			rc = (Rc)-s;
	}
	for (size_t i = 0; !rc && i < ARRAY_LEN(templates); i++)
		rc = db_get_int(db, &w->field_ids[i], "SELECT id FROM field WHERE code = ?", "t",
				templates[i].field);
	if (!rc && w->ncomm == 0)
		rc = RC_NOT_FOUND;
	if (rc)
		world_release(w);
	return rc;
}

/* ---- due dates, memoised ---------------------------------------------------- */

/* The statutory steps the generated cases stop at. */
typedef struct Variant {
	const char *kind, *step;
	int complexity;
	bool remote, multi_place;
} Variant;

static const Variant variants[] = {
	{"petition", "handle", 0, false, false},
	{"complaint", "accept", 0, false, false},
	{"complaint", "resolve", 0, false, false},
	{"complaint", "resolve", 1, false, false},
	{"complaint", "resolve", 0, true, false},
	{"complaint", "resolve", 1, true, false},
	{"denunciation", "initial", 0, false, false},
	{"denunciation", "initial", 0, false, true},
	{"denunciation", "resolve", 0, false, false},
};
enum { V_PET_HANDLE, V_COM_ACCEPT, V_COM_RESOLVE, V_DEN_INITIAL = 6, V_DEN_RESOLVE = 8 };

typedef struct DueCache {
	int64_t first_day;
	int ndays;
	int64_t *due;     /* [variant * ndays + day], 0 = not computed */
	int64_t *rule_id; /* same index */
	const char **basis;
	/* the legal basis of each rule met, by rule id */
	int64_t basis_rule[32];
	char *basis_text[32];
	int nbasis;
} DueCache;

static void due_cache_release(DueCache *c)
{
	free(c->due);
	free(c->rule_id);
	free(c->basis);
	for (int i = 0; i < c->nbasis; i++)
		free(c->basis_text[i]);
	memset(c, 0, sizeof *c);
}

/* The stored copy of a rule's basis (the cache's to free). */
static const char *basis_of(DueCache *c, int64_t rule_id, const char *basis)
{
	for (int i = 0; i < c->nbasis; i++)
		if (c->basis_rule[i] == rule_id)
			return c->basis_text[i];
	if (c->nbasis == (int)ARRAY_LEN(c->basis_rule))
		return ""; /* more rule sets than a bench meets: cannot happen */
	c->basis_rule[c->nbasis] = rule_id;
	c->basis_text[c->nbasis] = xstrdup(basis);
	return c->basis_text[c->nbasis++];
}

/* Due day number, rule and basis of variant v started on `day`. */
static Rc due_of(Db *db, DueCache *c, int v, int64_t day, int64_t *due, int64_t *rule,
		 const char **basis)
{
	int64_t off = day - c->first_day;
	if (off < 0 || off >= c->ndays)
		return RC_INVALID;
	size_t i = (size_t)v * (size_t)c->ndays + (size_t)off;
	if (!c->due[i]) {
		const Variant *x = &variants[v];
		DeadlineQuery q = {x->kind, x->step, x->complexity, x->remote, x->multi_place, {0, 0, 0}};
		DeadlineResult r;
		Rc rc = deadline_compute(db, &q, date_from_days(day), &r);
		if (rc)
			return rc;
		c->due[i] = date_to_days(r.due);
		c->rule_id[i] = r.rule_id;
		c->basis[i] = basis_of(c, r.rule_id, r.basis);
	}
	*due = c->due[i];
	*rule = c->rule_id[i];
	*basis = c->basis[i];
	return RC_OK;
}

/* ---- one case ----------------------------------------------------------------- */

typedef struct Story {
	const char *status;        /* where the case is today */
	const char *last_action;   /* the event that brought it there, NULL = intake only */
	const char *last_from;
	int64_t last_day;          /* day of that event */
	int variant;               /* the deadline row's step */
	int64_t step_day;          /* the day that step started */
	int64_t met_day;           /* 0 = still open */
	bool closed;
	int extensions;
	const char *outcome, *refuse_reason;
	int64_t responsible_org;   /* 0 = not routed yet */
} Story;

static const char *first_reason(CaseKind k, bool file)
{
	if (file)
		return "duplicate";
	return k == KIND_COMPLAINT ? "kn_time_expired" : k == KIND_DENUNCIATION ? "tc_no_basis"
										  : "pt_not_competent";
}

/* The case's history up to today, like demo_cases' simulation: each
 * step happens some days after the previous one, and whatever would
 * happen on or after today has not happened yet. */
static void tell(Rng *g, CaseKind kind, bool anonymous, bool multi_place, int complexity,
		 bool remote, int64_t received, int64_t today, int64_t resp_org, Story *s)
{
	memset(s, 0, sizeof *s);
	s->status = "received";
	s->variant = anonymous || kind == KIND_PETITION ? V_PET_HANDLE
		     : kind == KIND_COMPLAINT	    ? V_COM_ACCEPT
						    : V_DEN_INITIAL + (multi_place ? 1 : 0);
	s->step_day = received;
	s->outcome = "";
	s->refuse_reason = "";
	int64_t day = received + between(g, 0, 3);
	if (day >= today)
		return;
#define STEP(action, from, to)        \
	do {                          \
		s->last_action = action; \
		s->last_from = from;  \
		s->status = to;       \
		s->last_day = day;    \
	} while (0)
	STEP("classify", "received", "classified");
	s->responsible_org = resp_org;
	day += between(g, 1, 6);
	if (day >= today)
		return;
	int roll = pick(g, 100);
	if (anonymous || roll < 22) {
		/* filed, forwarded, guided or refused; then closed */
		const char *action = anonymous || roll < 6 ? "file" : roll < 12 ? "forward"
								: roll < 17 ? "guide" : "refuse";
		const char *to = str_eq(action, "file")	     ? "filed"
				 : str_eq(action, "forward") ? "forwarded"
				 : str_eq(action, "guide")   ? "guided"
							     : "refused";
		STEP(action, "classified", to);
		if (str_eq(action, "file"))
			s->refuse_reason = anonymous ? "anonymous" : first_reason(kind, true);
		else if (str_eq(action, "refuse"))
			s->refuse_reason = first_reason(kind, false);
		s->met_day = day;
		day += between(g, 1, 12);
		if (day < today) {
			STEP("close", to, "closed");
			s->closed = true;
		}
		return;
	}
	STEP("accept", "classified", "accepted");
	if (kind == KIND_PETITION) {
		/* the 10-working-day answer (accepted) is given: the step is met */
		s->met_day = day;
	} else {
		/* the acceptance step is met; the resolution clock starts */
		s->variant = kind == KIND_COMPLAINT
				     ? V_COM_RESOLVE + (complexity ? 1 : 0) + (remote ? 2 : 0)
				     : V_DEN_RESOLVE;
		s->step_day = day;
	}
	day += between(g, 1, 5);
	if (day >= today)
		return;
	STEP("verify", "accepted", "verifying");
	if (chance(g, 8))
		return; /* stalled: the clock runs on, past the due date */
	if (kind == KIND_DENUNCIATION && complexity && chance(g, 20)) {
		day += between(g, 20, 28);
		if (day >= today)
			return;
		STEP("extend", "verifying", "verifying");
		s->extensions = 1;
	}
	day += between(g, 5, 25);
	if (day >= today)
		return;
	static const char *const outcomes[] = {"right", "partly_right", "wrong"};
	s->outcome = kind == KIND_PETITION ? "answered" : outcomes[pick(g, 3)];
	STEP("decide", "verifying", "decided");
	if (kind != KIND_PETITION)
		s->met_day = day;
	day += between(g, 1, 3);
	if (day >= today)
		return;
	STEP("notify", "decided", "notified");
	if (kind != KIND_PETITION) {
		day += between(g, 30, 35);
		if (day >= today)
			return;
		STEP("take_effect", "notified", "in_effect");
	}
	day += between(g, 1, 10);
	if (day >= today)
		return;
	STEP("close", kind == KIND_PETITION ? "notified" : "in_effect", "closed");
	s->closed = true;
#undef STEP
}

/* ---- the generator ------------------------------------------------------------ */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void random_code(Rng *g, char out[CASE_CODE_LEN + 1])
{
	uint64_t bits = (uint64_t)rnd(g) << 32 | rnd(g);
	int j = 0;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 8)
			out[j++] = '-';
		out[j++] = crockford[(bits >> (5 * i)) & 31];
	}
	out[j] = 0;
}

/* 08:00–17:00 Vietnam time on a day number. */
static int64_t at_day(Rng *g, int64_t day)
{
	return day * 86400 + (int64_t)(between(g, 8, 16) - 7) * 3600 + pick(g, 3600);
}

#define SEALED_POOL 64

typedef struct Gen {
	Db *db;
	World w;
	DueCache due;
	Rng g;      /* the data: deterministic */
	Rng codes;  /* tracking codes: random, like real ones */
	int64_t today, first_day, next_id;
	unsigned char *sealed[SEALED_POOL];
	size_t sealed_len[SEALED_POOL];
	Text text;
	long check;  /* keys still to check against text_search_key */
	Buf buf, name, address, phone, email;
} Gen;

static void gen_release(Gen *x)
{
	world_release(&x->w);
	due_cache_release(&x->due);
	for (int i = 0; i < SEALED_POOL; i++)
		free(x->sealed[i]);
	buf_release(&x->text.title);
	buf_release(&x->text.content);
	buf_release(&x->text.key);
	fold_cache_release(x->text.fold);
	buf_release(&x->buf);
	buf_release(&x->name);
	buf_release(&x->address);
	buf_release(&x->phone);
	buf_release(&x->email);
}

static void person(Gen *x, const Commune *cm)
{
	Rng *g = &x->g;
	buf_reset(&x->name);
	buf_reset(&x->address);
	buf_reset(&x->phone);
	buf_reset(&x->email);
	buf_printf(&x->name, "%s %s %s", families[pick(g, ARRAY_LEN(families))],
		   middles[pick(g, ARRAY_LEN(middles))], givens[pick(g, ARRAY_LEN(givens))]);
	buf_printf(&x->address, "%s, %s", places[pick(g, ARRAY_LEN(places))], cm->name);
	buf_printf(&x->phone, "09%08d", (int)(rnd(g) % 100000000u));
	if (chance(g, 20))
		buf_printf(&x->email, "nguoidan%d@example.vn", (int)(rnd(g) % 1000000u));
}

/* Seal a pool of identities once; denunciations reuse them. */
static Rc seal_pool(Gen *x)
{
	if (!vault_ready(x->db))
		return RC_CONFLICT;
	for (int i = 0; i < SEALED_POOL; i++) {
		person(x, &x->w.communes[pick(&x->g, (int)x->w.ncomm)]);
		buf_reset(&x->buf);
		buf_printf(&x->buf,
			   "{\"name\":\"%j\",\"address\":\"%j\",\"phone\":\"%j\",\"email\":\"\","
			   "\"id_number\":\"\",\"representatives\":[]}",
			   buf_cstr(&x->name), buf_cstr(&x->address), buf_cstr(&x->phone));
		Rc rc = vault_seal(x->db, buf_cstr(&x->buf), &x->sealed[i], &x->sealed_len[i]);
		if (rc)
			return rc;
	}
	return RC_OK;
}

static Rc insert_case_row(Gen *x, int64_t id, const char *code, CaseKind kind, const Story *s,
			  const char *channel, int64_t received, int64_t created, int64_t updated,
			  const char *key, const Commune *cm, int64_t field_id, bool anonymous,
			  int people, bool remote, unsigned criteria, int sealed)
{
	char received_s[11];
	Date rd = date_from_days(received);
	xsnprintf(received_s, sizeof received_s, "%04d-%02d-%02d", rd.y, rd.m, rd.d);
	bool clear = !anonymous && kind != KIND_DENUNCIATION;
	char pseudonym[VAULT_PSEUDONYM_MAX] = "";
	if (sealed >= 0)
		vault_pseudonym(x->db, id, pseudonym);
	/* The desk and the post register a case for the commune; the web
	 * desk's cases are received centrally (organisation 0). */
	int64_t receiving = str_eq(channel, "web") ? 0 : cm->pc_org;
	return db_run(x->db,
		      "INSERT INTO cases (id, code, kind, status, channel, received_on, created_at,"
		      " updated_at, closed_at, title, content, search_key, field_id, unit_id,"
		      " receiving_org_id, responsible_org_id, anonymous, people_count, remote_area,"
		      " criteria, extensions, outcome, refuse_reason, citizen_name, citizen_address,"
		      " citizen_phone, citizen_email, identity_sealed, pseudonym, forwarded_from)"
		      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0), ?, ?, ?, nullif(?, 0), ?,"
		      " nullif(?, 0), nullif(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, ''), ?, ?, ?)",
		      "ltttttllltttlllliiiiittttttbtt", id, code, case_kind_id(kind), s->status,
		      channel, received_s, created, updated, s->closed ? updated : (int64_t)0,
		      buf_cstr(&x->text.title), buf_cstr(&x->text.content), key,
		      str_eq(s->status, "received") ? (int64_t)0 : field_id,
		      cm->unit_id, receiving, s->responsible_org, (int)anonymous, people, (int)remote,
		      (int)criteria, s->extensions, s->outcome, s->refuse_reason,
		      clear ? buf_cstr(&x->name) : NULL, clear ? buf_cstr(&x->address) : NULL,
		      clear ? buf_cstr(&x->phone) : NULL, clear ? buf_cstr(&x->email) : NULL,
		      sealed >= 0 ? x->sealed[sealed] : NULL,
		      sealed >= 0 ? (int)x->sealed_len[sealed] : 0, pseudonym,
		      str_eq(channel, "forwarded") ? "Ban Tiếp công dân Trung ương" : "");
}

static Rc insert_events(Gen *x, int64_t id, const Story *s, const Province *pv, int64_t created,
			int64_t updated)
{
	Rc rc = db_run(x->db,
		       "INSERT INTO case_event (case_id, at, actor_id, actor, action, from_status,"
		       " to_status, visibility) VALUES (?, ?, NULL, 'citizen', 'intake', '',"
		       " 'received', 'citizen')",
		       "ll", id, created);
	if (rc || !s->last_action)
		return rc;
	bool reception = str_eq(s->last_action, "classify") || str_eq(s->last_action, "file") ||
			 str_eq(s->last_action, "forward") || str_eq(s->last_action, "guide");
	bool internal = str_eq(s->last_action, "classify");
	return db_run(x->db,
		      "INSERT INTO case_event (case_id, at, actor_id, actor, action, from_status,"
		      " to_status, note, visibility) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		      "llltttttt", id, updated, reception ? pv->reception_id : pv->handler_id,
		      reception ? pv->reception : pv->handler, s->last_action, s->last_from,
		      s->status, internal ? "Phân loại, chuyển bộ phận tham mưu giải quyết." : "",
		      internal ? "internal" : "citizen");
}

static Rc insert_deadline(Gen *x, int64_t id, const Story *s)
{
	int64_t due, rule;
	const char *basis;
	Rc rc = due_of(x->db, &x->due, s->variant, s->step_day, &due, &rule, &basis);
	if (rc)
		return rc;
	Date sd = date_from_days(s->step_day), dd = date_from_days(due), md = date_from_days(s->met_day);
	char start_s[11], due_s[11], met_s[11];
	xsnprintf(start_s, sizeof start_s, "%04d-%02d-%02d", sd.y, sd.m, sd.d);
	xsnprintf(due_s, sizeof due_s, "%04d-%02d-%02d", dd.y, dd.m, dd.d);
	xsnprintf(met_s, sizeof met_s, "%04d-%02d-%02d", md.y, md.m, md.d);
	/* An extension pushed the due date by 30 days (a rough rule here). */
	if (s->extensions) {
		Date ext = calendar_add_days(NULL, dd, 30);
		xsnprintf(due_s, sizeof due_s, "%04d-%02d-%02d", ext.y, ext.m, ext.d);
	}
	const char *state = !s->met_day ? "open" : strcmp(met_s, due_s) > 0 ? "missed" : "met";
	return db_run(x->db,
		      "INSERT INTO case_deadline (case_id, step, rule_id, starts_on, due_on, basis,"
		      " state, met_on) VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, ''))",
		      "ltlttttt", id, variants[s->variant].step, rule, start_s, due_s, basis, state,
		      s->met_day ? met_s : "");
}

static Rc one_case(Gen *x, long i, long n)
{
	Rng *g = &x->g;
	int64_t received = x->first_day + (int64_t)((double)i * 730.0 / (double)n);
	const Commune *cm = &x->w.communes[pick(g, (int)x->w.ncomm)];
	const Province *pv = &x->w.provs[cm->prov];
	int kroll = pick(g, 100);
	CaseKind kind = kroll < 60 ? KIND_PETITION : kroll < 85 ? KIND_COMPLAINT : KIND_DENUNCIATION;
	bool anonymous = kind == KIND_DENUNCIATION && chance(g, 10);
	Rc rc = make_text_checked(g, kind, cm->name, &x->text, &x->check);
	if (rc)
		return rc;
	int64_t field_id = x->w.field_ids[x->text.t - templates];
	const char *channel = channels[pick(g, ARRAY_LEN(channels))];
	int people = kind != KIND_DENUNCIATION && chance(g, 5) ? between(g, 5, 64) : 1;
	unsigned criteria = 0;
	if (chance(g, 15))
		criteria |= CRIT_MULTI_PLACE;
	if (chance(g, 10))
		criteria |= CRIT_MULTI_ALLEGATION;
	if (people >= CASE_GROUP_MIN)
		criteria |= CRIT_MANY_PEOPLE;
	bool remote = chance(g, 5);
	int64_t resp = chance(g, 80) ? cm->pc_org : pv->pc_org;
	Story s;
	tell(g, kind, anonymous, (criteria & CRIT_MULTI_PLACE) != 0, case_complexity(criteria),
	     remote, received, x->today, resp, &s);
	int64_t created = at_day(g, received);
	int64_t updated = s.last_action ? at_day(g, s.last_day) : created;
	if (updated < created)
		updated = created;
	person(x, cm);
	int sealed = kind == KIND_DENUNCIATION && !anonymous ? pick(g, SEALED_POOL) : -1;

	const char *key = buf_cstr(&x->text.key);
	int64_t id = x->next_id++;
	char code[CASE_CODE_LEN + 1];
	rc = RC_CONFLICT;
	/* 50 random bits: a clash among a million codes is rare, not impossible */
	for (int attempt = 0; rc == RC_CONFLICT && attempt < 8; attempt++) {
		random_code(&x->codes, code);
		rc = insert_case_row(x, id, code, kind, &s, channel, received, created, updated, key,
				     cm, field_id, anonymous, people, remote, criteria, sealed);
	}
	if (!rc)
		rc = db_run(x->db, "INSERT INTO case_fts (rowid, search_key) VALUES (?, ?)", "lt", id,
			    key);
	if (!rc)
		rc = insert_events(x, id, &s, pv, created, updated);
	if (!rc)
		rc = insert_deadline(x, id, &s);
	return rc;
}

Rc bench_gen_cases(Db *db, long n, uint64_t seed, BenchProgress progress, long *made)
{
	*made = 0;
	if (n < 0)
		return RC_INVALID;
	Gen x;
	memset(&x, 0, sizeof x);
	x.db = db;
	x.text.fold = xcalloc(1, sizeof *x.text.fold);
	x.check = 2000;
	x.g.s = seed ? seed : 0x9e3779b97f4a7c15ULL;
	crypto_random(&x.codes.s, sizeof x.codes.s);
	x.codes.s |= 1; /* xorshift must not start at 0 */
	x.today = date_to_days(date_vn_from_unix(util_now()));
	x.first_day = x.today - 730;
	Rc rc = world_load(db, &x.w);
	if (rc)
		return rc;
	x.due.first_day = x.first_day;
	x.due.ndays = 731 + 30;
	size_t cells = ARRAY_LEN(variants) * (size_t)x.due.ndays;
	x.due.due = xcalloc(cells, sizeof *x.due.due);
	x.due.rule_id = xcalloc(cells, sizeof *x.due.rule_id);
	x.due.basis = xcalloc(cells, sizeof *x.due.basis);
	rc = db_get_int(db, &x.next_id, "SELECT coalesce(max(id), 0) + 1 FROM cases", "");
	if (!rc)
		rc = seal_pool(&x);
	for (long i = 0; !rc && i < n; i++) {
		if (i % BENCH_GEN_BATCH == 0 && (rc = db_begin_write(db)))
			break;
		rc = one_case(&x, i, n);
		if (!rc && (i % BENCH_GEN_BATCH == BENCH_GEN_BATCH - 1 || i == n - 1)) {
			rc = db_commit(db);
			if (!rc) {
				*made = i + 1;
				if (progress)
					progress("bench cases", i + 1, n);
			}
		}
	}
	if (rc && db_in_tx(db))
		db_rollback(db);
	/* The search index as one segment, as after a rebuild (migration 8):
	 * left as the batches' many segments, every later commit would pay
	 * for merging them a little at a time. */
	if (!rc)
		rc = db_run(db, "INSERT INTO case_fts (case_fts) VALUES ('optimize')", "");
	gen_release(&x);
	return rc;
}

/* ---- timing ---------------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct Samples {
	double *v;
	size_t n, cap;
} Samples;

static void samples_add(Samples *s, double ms)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = ms;
}

static void samples_finish(Samples *s, double seconds, BenchRate *out)
{
	out->count = (long)s->n;
	out->seconds = seconds;
	out->per_sec = seconds > 0 ? (double)s->n / seconds : 0;
	if (s->n) {
		qsort(s->v, s->n, sizeof *s->v, cmp_double);
		out->p50_ms = s->v[(s->n - 1) / 2];
		out->p99_ms = s->v[(size_t)((double)(s->n - 1) * 0.99)];
		out->max_ms = s->v[s->n - 1];
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* ---- raw commit rate -------------------------------------------------------------- */

static void remove_db_files(const char *path)
{
	char f[4096];
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < ARRAY_LEN(sfx); i++) {
		if ((size_t)snprintf(f, sizeof f, "%s%s", path, sfx[i]) < sizeof f)
			unlink(f);
	}
}

Rc bench_commit_rate(const char *path, double seconds, BenchRate *out)
{
	memset(out, 0, sizeof *out);
	remove_db_files(path);
	Db *db = NULL;
	Rc rc = db_open(&db, path, DB_OPEN_CREATE);
	if (rc) {
		db_close(db);
		return RC_IO;
	}
	rc = db_exec_script(db, "CREATE TABLE bench_commit (id INTEGER PRIMARY KEY,"
				" at INTEGER NOT NULL, payload TEXT NOT NULL)");
	Samples s = {0};
	double start = now_s(), end = start + seconds;
	/* A payload the size of a short case row's text. */
	static const char payload[] =
		"Kiến nghị sửa chữa tuyến đường liên thôn: đường xuống cấp, nhiều ổ gà, mùa mưa "
		"đi lại rất khó khăn. Đề nghị đưa vào kế hoạch sửa chữa.";
	while (!rc) {
		double t0 = now_s();
		if (t0 >= end)
			break;
		rc = db_begin_write(db);
		if (!rc)
			rc = db_run(db, "INSERT INTO bench_commit (at, payload) VALUES (?, ?)", "lt",
				    util_now(), payload);
		if (!rc)
			rc = db_commit(db);
		else
			db_rollback(db);
		if (!rc)
			samples_add(&s, (now_s() - t0) * 1000.0);
	}
	samples_finish(&s, now_s() - start, out);
	db_close(db);
	remove_db_files(path);
	return rc;
}

/* ---- submissions through the intake log --------------------------------------------- */

/* One submitter: its own connection, generator and samples. */
typedef struct Submitter {
	Db *db;
	Gen x;          /* its generator and world, loaded before the clock starts */
	double end;     /* wall-clock second to stop at */
	long max_count; /* > 0: stop after this many (this submitter's share) */
	Samples s;
	Rc rc;
} Submitter;


static void *submitter_run(void *arg)
{
	Submitter *sub = arg;
	Gen x = sub->x;
	Rc rc = sub->rc;
	while (!rc && (sub->max_count <= 0 || (long)sub->s.n < sub->max_count)) {
		double t0 = now_s();
		if (t0 >= sub->end)
			break;
		Rng *g = &x.g;
		const Commune *cm = &x.w.communes[pick(g, (int)x.w.ncomm)];
		int kroll = pick(g, 100);
		CaseKind kind = kroll < 60 ? KIND_PETITION : kroll < 85 ? KIND_COMPLAINT
									: KIND_DENUNCIATION;
		make_text(g, kind, cm->name, &x.text);
		person(&x, cm);
		/* What the public form sends (ui_cases_submit): the web channel,
		 * the commune the citizen chose, a signed submission. */
		CaseIntake in = {
			.kind = kind,
			.channel = "web",
			.title = buf_cstr(&x.text.title),
			.content = buf_cstr(&x.text.content),
			.unit_id = cm->unit_id,
			.people_count = 1,
			.name = buf_cstr(&x.name),
			.address = buf_cstr(&x.address),
			.phone = buf_cstr(&x.phone),
			.email = x.email.len ? buf_cstr(&x.email) : NULL,
			.signed_ = true,
		};
		/* as POST /gui-don without files: checked, sealed and folded on
		 * the submitter's own connection, then the intake-log row written
		 * (through the log's group commit when the caller started it:
		 * case_intake_log_start), the case built later by the builder */
		const char *problem = NULL;
		CaseIntakePrepared *p = NULL;
		CaseCreated made;
		rc = case_intake_log_prepare(sub->db, &in, &p, &problem);
		if (!rc)
			rc = case_intake_log_commit(sub->db, p, &made);
		case_intake_prepared_free(p);
		if (rc && problem)
			fprintf(stderr, "bench_submit: refused: %s\n", problem);
		if (!rc)
			samples_add(&sub->s, (now_s() - t0) * 1000.0);
	}
	sub->x = x;
	sub->rc = rc;
	return NULL;
}

Rc bench_submit(Db **dbs, int n, double seconds, long max_count, BenchRate *out)
{
	memset(out, 0, sizeof *out);
	if (n < 1)
		return RC_INVALID;
	Submitter *subs = xcalloc((size_t)n, sizeof *subs);
	pthread_t *threads = xcalloc((size_t)n, sizeof *threads);
	/* Each submitter's world (communes, fields) is read before the clock
	 * starts: the measure is of submissions, not of the bench's set-up. */
	for (int i = 0; i < n; i++) {
		Gen *x = &subs[i].x;
		x->db = subs[i].db = dbs[i];
		x->text.fold = xcalloc(1, sizeof *x->text.fold);
		crypto_random(&x->g.s, sizeof x->g.s);
		x->g.s |= 1;
		subs[i].rc = world_load(dbs[i], &x->w);
	}
	double start = now_s();
	for (int i = 0; i < n; i++) {
		subs[i].end = start + seconds;
		subs[i].max_count = max_count > 0 ? (max_count + n - 1) / n : 0;
	}
	int started = 0;
	if (n == 1)
		submitter_run(&subs[0]);
	else
		for (; started < n; started++)
			if (pthread_create(&threads[started], NULL, submitter_run, &subs[started]))
				break;
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	double elapsed = now_s() - start;
	Samples all = {0};
	Rc rc = n > 1 && started < n ? RC_INTERNAL : RC_OK;
	for (int i = 0; i < n; i++) {
		for (size_t k = 0; k < subs[i].s.n; k++)
			samples_add(&all, subs[i].s.v[k]);
		free(subs[i].s.v);
		gen_release(&subs[i].x);
		if (!rc)
			rc = subs[i].rc;
	}
	samples_finish(&all, elapsed, out);
	free(subs);
	free(threads);
	return rc;
}
