/*
 * demo_cases.c — two years of realistic citizens' cases for the demo
 * (`danvan demo`), replayed through the same domain functions the server
 * uses: case_intake, case_act, case_reply.  The clock is set to each
 * simulated moment (util_set_clock) so received dates, events, deadlines
 * and the audit log tell a consistent history, and whatever would happen
 * after today simply has not happened yet — which leaves a realistic mix
 * of open, overdue and closed cases.
 *
 * Mix (deterministic PRNG, same data every run): about 60 % petitions,
 * 25 % complaints, 15 % denunciations (a tenth of them anonymous); every
 * channel; fields weighted as provincial reports show (land first); 5 %
 * group petitions; 4 % repeats by the same person; about 8 % left
 * unresolved past their deadline.
 */
#include "demo.h"
#include "case.h"
#include "deadline.h"
#include "org.h"
#include "user.h"
#include "../base/date.h"

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

typedef struct Template {
	const char *field;
	const char *title;
	const char *content;
} Template;

/* %P is replaced by a place in the commune, %R by a project. */
static const Template templates[] = {
	{"land.dispute", "Đề nghị giải quyết tranh chấp ranh giới đất với hộ liền kề tại %P",
	 "Gia đình tôi sử dụng ổn định thửa đất tại %P từ năm 1993. Năm nay hộ liền kề xây tường lấn sang khoảng 1,2 m chiều ngang. Đã hòa giải ở thôn nhưng không thành. Đề nghị chính quyền xác minh, đo đạc lại và giải quyết dứt điểm."},
	{"land.certificate", "Kiến nghị về việc chậm cấp giấy chứng nhận quyền sử dụng đất",
	 "Hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất của gia đình tôi tại %P nộp từ lâu nhưng đến nay chưa được giải quyết, cũng không được thông báo lý do. Đề nghị cơ quan có thẩm quyền xem xét, trả lời bằng văn bản."},
	{"land.recovery", "Khiếu nại quyết định thu hồi đất nông nghiệp tại %P",
	 "Tôi không đồng ý với quyết định thu hồi đất nông nghiệp của gia đình để thực hiện %R vì diện tích thu hồi không đúng với thực tế sử dụng và chưa được thông báo trước theo quy định. Đề nghị xem xét lại quyết định."},
	{"land", "Phản ánh việc san lấp, xây dựng trái phép trên đất nông nghiệp tại %P",
	 "Thời gian gần đây có hộ dân tự ý san lấp ruộng lúa, xây dựng công trình kiên cố trên đất nông nghiệp tại %P, ảnh hưởng đến việc tưới tiêu của các hộ xung quanh. Đề nghị chính quyền kiểm tra, xử lý."},
	{"compensation", "Khiếu nại về đơn giá bồi thường khi giải phóng mặt bằng %R",
	 "Gia đình tôi bị thu hồi đất để thực hiện %R. Đơn giá bồi thường đất và cây cối, hoa màu thấp hơn nhiều so với giá thị trường; phần hỗ trợ chuyển đổi nghề nghiệp chưa được tính. Đề nghị xem xét lại phương án bồi thường, hỗ trợ."},
	{"compensation", "Kiến nghị bố trí tái định cư cho các hộ bị thu hồi đất ở tại %P",
	 "Các hộ dân tại %P bị thu hồi toàn bộ đất ở để thực hiện %R nhưng đến nay chưa được bố trí đất tái định cư, phải đi thuê nhà. Đề nghị sớm bố trí tái định cư và chi trả tiền hỗ trợ thuê nhà."},
	{"admin_procedures", "Phản ánh việc giải quyết thủ tục hành chính chậm so với giấy hẹn",
	 "Tôi nộp hồ sơ tại bộ phận một cửa, theo giấy hẹn đã quá hạn nhiều ngày nhưng chưa nhận được kết quả, cán bộ tiếp nhận không giải thích lý do. Đề nghị kiểm tra, chấn chỉnh."},
	{"admin_procedures", "Kiến nghị đơn giản hóa hồ sơ chứng thực tại %P",
	 "Khi làm thủ tục chứng thực, người dân phải đi lại nhiều lần do yêu cầu bổ sung giấy tờ không có trong quy định. Đề nghị niêm yết công khai thành phần hồ sơ và hướng dẫn một lần đầy đủ."},
	{"environment", "Phản ánh cơ sở sản xuất gây ô nhiễm môi trường tại %P",
	 "Cơ sở sản xuất tại %P thường xuyên xả nước thải chưa qua xử lý ra mương tưới, gây mùi hôi và làm chết lúa, cá. Đề nghị cơ quan chức năng kiểm tra, xử lý nghiêm."},
	{"environment", "Kiến nghị thu gom rác thải sinh hoạt tại %P",
	 "Rác thải sinh hoạt tại %P không được thu gom thường xuyên, tồn đọng nhiều ngày gây ô nhiễm. Đề nghị bố trí lịch thu gom hợp lý."},
	{"social_policy.merit", "Đề nghị xem xét chế độ chính sách đối với người có công",
	 "Bố tôi tham gia kháng chiến, có giấy tờ chứng minh nhưng hồ sơ đề nghị hưởng chế độ chưa được xem xét. Đề nghị hướng dẫn và giải quyết theo quy định."},
	{"social_policy.protection", "Kiến nghị về việc bình xét hộ nghèo, cận nghèo chưa công khai tại %P",
	 "Việc bình xét hộ nghèo, cận nghèo năm nay tại %P chưa được tổ chức công khai, dân chủ; một số hộ khó khăn chưa được đưa vào danh sách. Đề nghị rà soát lại."},
	{"officials", "Phản ánh thái độ, tác phong của cán bộ tiếp dân",
	 "Khi đến liên hệ công việc, tôi bị cán bộ tiếp nhận có thái độ thiếu tôn trọng, hẹn nhiều lần. Đề nghị lãnh đạo xem xét, nhắc nhở."},
	{"officials", "Tố cáo cán bộ có dấu hiệu vụ lợi trong việc xác nhận hồ sơ đất đai",
	 "Tôi tố cáo cán bộ địa chính có hành vi yêu cầu nộp tiền ngoài quy định để ký xác nhận hồ sơ đất đai của các hộ dân tại %P. Tôi có chứng cứ kèm theo và đề nghị xác minh, xử lý theo quy định."},
	{"officials", "Tố cáo sai phạm trong quản lý, sử dụng quỹ đóng góp của nhân dân tại %P",
	 "Các khoản đóng góp xây dựng nhà văn hóa tại %P không được công khai thu, chi. Tôi tố cáo ban quản lý có dấu hiệu sử dụng sai mục đích và đề nghị thanh tra, làm rõ."},
	{"religion", "Kiến nghị về việc sửa chữa cơ sở thờ tự tại %P",
	 "Đình làng tại %P xuống cấp nghiêm trọng. Ban quản lý di tích và nhân dân đề nghị được hướng dẫn thủ tục tu bổ, sửa chữa theo quy định."},
	{"religion", "Phản ánh hoạt động tụ tập truyền đạo trái pháp luật tại %P",
	 "Một số người lạ thường xuyên đến %P tụ tập, vận động người dân theo đạo, gây mất trật tự và ảnh hưởng đời sống sinh hoạt. Đề nghị chính quyền nắm tình hình và xử lý."},
	{"ethnic", "Kiến nghị hỗ trợ nước sạch cho đồng bào dân tộc thiểu số tại %P",
	 "Nhiều hộ đồng bào dân tộc thiểu số tại %P thiếu nước sinh hoạt vào mùa khô. Đề nghị đầu tư công trình cấp nước tập trung."},
	{"rural_security", "Phản ánh tình trạng trộm cắp gia súc, gia cầm tại %P",
	 "Thời gian qua tại %P liên tiếp xảy ra trộm cắp trâu bò, gà vịt vào ban đêm. Đề nghị công an xã tăng cường tuần tra."},
	{"other", "Kiến nghị sửa chữa tuyến đường liên thôn tại %P",
	 "Tuyến đường liên thôn tại %P xuống cấp, nhiều ổ gà, mùa mưa đi lại rất khó khăn, nhất là học sinh. Đề nghị đưa vào kế hoạch sửa chữa."},
};

/* Weights of templates: land and compensation come first in reports. */
static const int template_weight[] = {7, 6, 6, 5, 8, 5, 6, 3, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 2, 3};

static const char *const places[] = {
	"thôn Đông", "thôn Đoài", "thôn Thượng", "thôn Hạ", "xóm Mới", "tổ dân phố số 3",
	"tổ dân phố số 7", "khu dân cư Bắc Sơn", "thôn Trung Hòa", "xóm Chùa", "thôn An Lạc",
	"khu phố Hưng Đạo",
};
static const char *const projects[] = {
	"dự án mở rộng quốc lộ", "dự án khu công nghiệp", "dự án đường vành đai",
	"dự án khu đô thị mới", "dự án trạm biến áp 110 kV", "dự án kè chống sạt lở",
};
static const char *const families[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"};
static const char *const middles[] = {"Văn", "Thị", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Hữu"};
static const char *const givens[] = {"An", "Bình", "Chiến", "Dũng", "Giang", "Hà", "Hải", "Hòa", "Hùng", "Khánh",
				     "Lan", "Liên", "Long", "Mai", "Nam", "Nga", "Phúc", "Quý", "Sơn", "Tâm",
				     "Thắng", "Thảo", "Thủy", "Tú", "Vinh", "Yến"};

static void expand(Buf *b, const char *text, const char *place, const char *project)
{
	buf_reset(b);
	for (const char *p = text; *p; p++) {
		if (p[0] == '%' && p[1] == 'P') {
			buf_puts(b, place);
			p++;
		} else if (p[0] == '%' && p[1] == 'R') {
			buf_puts(b, project);
			p++;
		} else {
			buf_putc(b, *p);
		}
	}
}

typedef struct Commune {
	int64_t unit_id;
	char code[8];
	char *name;
	int64_t pc_org;       /* c<code>-pc */
	int prov;             /* index into provinces */
} Commune;

typedef struct Province {
	char slug[48];
	int64_t pc_org;
	Principal reception, handler;
} Province;

static Rc load_province(Db *db, const char *code, const char *slug, Province *p)
{
	memset(p, 0, sizeof *p);
	xsnprintf(p->slug, sizeof p->slug, "%s", slug);
	Buf b = BUF_INIT;
	int64_t uid;
	buf_printf(&b, "p%s-pc", code);
	Rc rc = org_find_code(db, buf_cstr(&b), &p->pc_org);
	buf_reset(&b);
	buf_printf(&b, "%s.reception", slug);
	if (!rc)
		rc = user_find_login(db, buf_cstr(&b), &uid);
	if (!rc)
		rc = user_principal(db, uid, &p->reception);
	buf_reset(&b);
	buf_printf(&b, "%s.handler", slug);
	if (!rc)
		rc = user_find_login(db, buf_cstr(&b), &uid);
	if (!rc)
		rc = user_principal(db, uid, &p->handler);
	buf_release(&b);
	return rc;
}

/* 09:00 Vietnam time on a day number. */
static int64_t at_day(int64_t day, int hour)
{
	return day * 86400 + (int64_t)(hour - 7) * 3600;
}

static Rc act(Db *db, const Principal *who, int64_t id, CaseAction *a)
{
	const char *problem = NULL;
	Rc rc = case_act(db, who, id, a, &problem);
	/* An action the flow refuses in this state is skipped, not fatal: the
	 * demo follows the law's happy paths and the flow has the last word. */
	if (rc == RC_INVALID || rc == RC_CONFLICT || rc == RC_FORBIDDEN)
		return RC_OK;
	return rc;
}

typedef struct Sim {
	Db *db;
	Rng *g;
	int64_t today;       /* day number */
	const Province *prov;
	int64_t id;
	CaseKind kind;
	int64_t day;         /* the case's current simulated day */
	bool stopped;        /* the next step lies in the future */
} Sim;

/* Advance the case's clock by lo..hi days; false when that is after today. */
static bool step(Sim *s, int lo, int hi)
{
	if (s->stopped)
		return false;
	s->day += lo + pick(s->g, hi - lo + 1);
	if (s->day >= s->today) {
		s->stopped = true;
		return false;
	}
	util_set_clock(at_day(s->day, 9 + pick(s->g, 8)));
	return true;
}

static Rc doc_action(Sim *s, const Principal *who, const char *action, const char *note,
		     const char *doc_prefix)
{
	CaseAction a = {0};
	a.action = action;
	a.note = note;
	Buf num = BUF_INIT, date = BUF_INIT;
	if (doc_prefix) {
		buf_printf(&num, "%d/%s", 10 + pick(s->g, 890), doc_prefix);
		date_format_iso(&date, date_from_days(s->day));
		a.doc_number = buf_cstr(&num);
		a.doc_date = buf_cstr(&date);
	}
	a.remote_area = -1;
	Rc rc = act(s->db, who, s->id, &a);
	buf_release(&num);
	buf_release(&date);
	return rc;
}

/* Everything after intake, until today stops the story. */
static Rc simulate(Sim *s, const char *field, int64_t unit_id, int64_t resp_org, unsigned criteria,
		   bool anonymous)
{
	const Province *p = s->prov;
	Rc rc;
	if (!step(s, 0, 3))
		return RC_OK;
	CaseAction c = {0};
	c.action = "classify";
	c.field_code = field;
	c.unit_id = unit_id;
	c.responsible_org_id = resp_org;
	c.criteria = criteria;
	c.remote_area = -1;
	c.note = "Phân loại, chuyển bộ phận tham mưu giải quyết.";
	if ((rc = act(s->db, &p->reception, s->id, &c)))
		return rc;
	if (!step(s, 1, 6))
		return RC_OK;
	int roll = pick(s->g, 100);
	if (anonymous || roll < 6) {
		CaseAction f = {0};
		f.action = "file";
		f.reason_code = anonymous ? "anonymous" : "duplicate";
		f.note = "Lưu đơn theo quy định.";
		f.remote_area = -1;
		if ((rc = act(s->db, &p->reception, s->id, &f)))
			return rc;
		if (step(s, 1, 10))
			rc = doc_action(s, &p->handler, "close", "Kết thúc xử lý.", NULL);
		return rc;
	}
	if (roll < 12) {
		CaseAction f = {0};
		f.action = "forward";
		f.forward_to = "Sở Tài nguyên và Môi trường";
		f.note = "Chuyển đơn đến cơ quan có thẩm quyền.";
		f.remote_area = -1;
		if ((rc = act(s->db, &p->reception, s->id, &f)))
			return rc;
		if (step(s, 3, 15))
			rc = doc_action(s, &p->handler, "close", "Đã chuyển đơn, kết thúc theo dõi.", NULL);
		return rc;
	}
	if (roll < 17) {
		if ((rc = doc_action(s, &p->reception, "guide", "Hướng dẫn công dân gửi đơn đến Tòa án nhân dân có thẩm quyền.", NULL)))
			return rc;
		if (step(s, 1, 10))
			rc = doc_action(s, &p->handler, "close", "Kết thúc.", NULL);
		return rc;
	}
	if (roll < 22) {
		CaseAction f = {0};
		f.action = "refuse";
		f.reason_code = s->kind == KIND_COMPLAINT ? "kn_time_expired" :
				s->kind == KIND_DENUNCIATION ? "tc_no_basis" : "pt_not_competent";
		f.note = "Không đủ điều kiện thụ lý.";
		f.remote_area = -1;
		Buf num = BUF_INIT;
		buf_printf(&num, "%d/TB-UBND", 10 + pick(s->g, 500));
		f.doc_number = buf_cstr(&num);
		rc = act(s->db, &p->handler, s->id, &f);
		buf_release(&num);
		if (!rc && step(s, 1, 10))
			rc = doc_action(s, &p->handler, "close", "Kết thúc.", NULL);
		return rc;
	}
	/* accepted: the statutory path */
	if ((rc = doc_action(s, &p->handler, "accept", "Thụ lý giải quyết.", "TB-UBND")))
		return rc;
	if (!step(s, 1, 5))
		return RC_OK;
	if ((rc = doc_action(s, &p->handler, "verify", "Giao tổ xác minh.", "QĐ-UBND")))
		return rc;
	/* about 8 % stall past their deadline */
	if (chance(s->g, 8)) {
		s->stopped = true;
		return RC_OK;
	}
	if (s->kind == KIND_DENUNCIATION && chance(s->g, 20)) {
		if (!step(s, 20, 28))
			return RC_OK;
		if ((rc = doc_action(s, &p->handler, "extend", "Gia hạn giải quyết tố cáo do vụ việc phức tạp.", "QĐ-UBND")))
			return rc;
	}
	if (!step(s, 5, 25))
		return RC_OK;
	CaseAction d = {0};
	d.action = "decide";
	d.remote_area = -1;
	static const char *const out_kn[] = {"right", "partly_right", "wrong"};
	d.outcome = s->kind == KIND_PETITION ? "answered" : out_kn[pick(s->g, 3)];
	d.note = s->kind == KIND_PETITION ? "Văn bản trả lời kiến nghị." :
		 s->kind == KIND_COMPLAINT ? "Quyết định giải quyết khiếu nại lần đầu." :
					     "Kết luận nội dung tố cáo.";
	Buf num = BUF_INIT, date = BUF_INIT;
	buf_printf(&num, "%d/%s", 10 + pick(s->g, 890), s->kind == KIND_PETITION ? "UBND-VP" : s->kind == KIND_COMPLAINT ? "QĐ-UBND" : "KL-UBND");
	date_format_iso(&date, date_from_days(s->day));
	d.doc_number = buf_cstr(&num);
	d.doc_date = buf_cstr(&date);
	rc = act(s->db, &p->handler, s->id, &d);
	buf_release(&num);
	buf_release(&date);
	if (rc)
		return rc;
	if (!step(s, 1, 3))
		return RC_OK;
	if ((rc = doc_action(s, &p->handler, "notify", "Gửi quyết định, văn bản đến công dân và cơ quan liên quan.", NULL)))
		return rc;
	if (s->kind != KIND_DENUNCIATION)
		case_reply(s->db, &p->handler, s->id,
			   "Cơ quan có thẩm quyền đã xem xét và trả lời bằng văn bản. Mời ông/bà xem văn bản đính kèm hoặc liên hệ bộ phận tiếp công dân để được giải thích thêm.");
	if (s->kind == KIND_COMPLAINT && chance(s->g, 12)) {
		if (!step(s, 5, 25))
			return RC_OK;
		return doc_action(s, &p->reception, "appeal", "Công dân khiếu nại lần hai.", NULL);
	}
	if (!step(s, s->kind == KIND_PETITION ? 1 : 30, s->kind == KIND_PETITION ? 7 : 35))
		return RC_OK;
	if (s->kind != KIND_PETITION &&
	    (rc = doc_action(s, &p->handler, "take_effect", "Quyết định có hiệu lực pháp luật.", NULL)))
		return rc;
	if (!step(s, 1, 10))
		return RC_OK;
	return doc_action(s, &p->handler, "close", "Kết thúc hồ sơ.", NULL);
}

static Rc load_communes(Db *db, Commune **out, size_t *n, char codes[][4], size_t nprov)
{
	size_t cap = 1024, len = 0;
	Commune *c = xcalloc(cap, sizeof *c);
	Rc rc = RC_OK;
	for (size_t p = 0; p < nprov && !rc; p++) {
		DbStmt *st;
		rc = db_prep(db, &st,
			     "SELECT u.id, u.code, u.name, o.id FROM unit u"
			     " JOIN unit pr ON pr.id = u.province_id"
			     " JOIN org o ON o.code = 'c' || u.code || '-pc'"
			     " WHERE pr.code = ? AND pr.valid_to IS NULL AND u.level = 'commune'"
			     " AND u.valid_to IS NULL ORDER BY u.code", "t", codes[p]);
		if (rc)
			break;
		while (db_step(st) == DB_ROW) {
			if (len == cap) {
				cap *= 2;
				c = xrealloc(c, cap * sizeof *c);
			}
			c[len].unit_id = db_col_int(st, 0);
			xsnprintf(c[len].code, sizeof c[len].code, "%s", db_col_text(st, 1));
			c[len].name = xstrdup(db_col_text(st, 2));
			c[len].pc_org = db_col_int(st, 3);
			c[len].prov = (int)p;
			len++;
		}
		db_done(st);
	}
	*out = c;
	*n = len;
	return rc;
}

Rc demo_cases(Db *db, int count, void (*progress)(const char *what, long done, long total),
	      long *made)
{
	static char prov_codes[][4] = {"01", "31", "22", "33", "37", "24", "25"};
	static const char *const prov_slugs[] = {"ha-noi", "hai-phong", "quang-ninh", "hung-yen",
						 "ninh-binh", "bac-ninh", "phu-tho"};
	enum { NPROV = 7 };
	Province provs[NPROV];
	*made = 0;
	Rc rc = RC_OK;
	for (int i = 0; i < NPROV && !rc; i++)
		rc = load_province(db, prov_codes[i], prov_slugs[i], &provs[i]);
	if (rc)
		return rc;
	Commune *communes = NULL;
	size_t ncomm = 0;
	if ((rc = load_communes(db, &communes, &ncomm, prov_codes, NPROV)))
		goto out;
	if (ncomm == 0) {
		rc = RC_NOT_FOUND;
		goto out;
	}
	int total_weight = 0;
	for (size_t i = 0; i < ARRAY_LEN(template_weight); i++)
		total_weight += template_weight[i];
	_Static_assert(ARRAY_LEN(template_weight) == ARRAY_LEN(templates), "weights");

	Rng g = {0x9e3779b97f4a7c15ULL};
	int64_t real_now = util_now();
	int64_t today = date_to_days(date_vn_from_unix(real_now));
	Buf title = BUF_INIT, content = BUF_INIT, name = BUF_INIT, address = BUF_INIT, idnum = BUF_INIT,
	    phone = BUF_INIT, reps[2] = {BUF_INIT, BUF_INIT};
	char (*repeat_ids)[16] = xcalloc(64, 16);
	int nrepeat = 0;

	/* Cases arrive in date order over the last 730 days, in batches of a
	 * few hundred per transaction so progress is visible and memory flat. */
	for (int i = 0; i < count && !rc; i++) {
		if (i % 250 == 0 && (rc = db_begin_write(db)))
			break;
		int64_t day = today - 730 + (int64_t)i * 730 / count;
		const Commune *cm = &communes[pick(&g, (int)ncomm)];
		const Province *pv = &provs[cm->prov];
		int w = pick(&g, total_weight), t = 0;
		while (w >= template_weight[t])
			w -= template_weight[t++];
		const Template *tp = &templates[t];
		const char *place = places[pick(&g, ARRAY_LEN(places))];
		expand(&title, tp->title, place, projects[pick(&g, ARRAY_LEN(projects))]);
		expand(&content, tp->content, place, projects[pick(&g, ARRAY_LEN(projects))]);

		CaseIntake in = {0};
		int kroll = pick(&g, 100);
		bool officials = str_starts(tp->field, "officials") && strstr(tp->title, "Tố cáo");
		in.kind = officials || kroll >= 85 ? KIND_DENUNCIATION :
			  (str_starts(tp->title, "Khiếu nại") || kroll >= 60) ? KIND_COMPLAINT : KIND_PETITION;
		static const char *const channels[] = {"web", "web", "web", "web", "web", "web", "web",
						       "desk", "desk", "desk", "desk", "desk", "post", "post",
						       "post", "phone", "forwarded", "forwarded", "dialogue",
						       "online_reception"};
		in.channel = channels[pick(&g, ARRAY_LEN(channels))];
		Buf rdate = BUF_INIT;
		date_format_iso(&rdate, date_from_days(day));
		in.received_on = buf_cstr(&rdate);
		in.title = buf_cstr(&title);
		in.content = buf_cstr(&content);
		in.unit_id = cm->unit_id;
		in.receiving_org_id = cm->pc_org;
		in.signed_ = true;
		in.anonymous = in.kind == KIND_DENUNCIATION && chance(&g, 10);
		buf_reset(&name);
		buf_printf(&name, "%s %s %s", families[pick(&g, ARRAY_LEN(families))],
			   middles[pick(&g, ARRAY_LEN(middles))], givens[pick(&g, ARRAY_LEN(givens))]);
		buf_reset(&address);
		buf_printf(&address, "%s, %s", place, cm->name);
		buf_reset(&idnum);
		if (nrepeat > 8 && chance(&g, 4))
			buf_puts(&idnum, repeat_ids[pick(&g, nrepeat)]);
		else
			buf_printf(&idnum, "0%02d%09d", 1 + pick(&g, 95), (int)(rnd(&g) % 1000000000u));
		if (nrepeat < 64)
			xsnprintf(repeat_ids[nrepeat++], 16, "%s", buf_cstr(&idnum));
		else
			xsnprintf(repeat_ids[pick(&g, 64)], 16, "%s", buf_cstr(&idnum));
		buf_reset(&phone);
		buf_printf(&phone, "09%08d", (int)(rnd(&g) % 100000000u));
		if (!in.anonymous) {
			in.name = buf_cstr(&name);
			in.address = buf_cstr(&address);
			in.id_number = buf_cstr(&idnum);
			in.phone = buf_cstr(&phone);
		}
		in.people_count = 1;
		if (in.kind != KIND_DENUNCIATION && chance(&g, 5)) {
			in.people_count = 5 + pick(&g, 60);
			buf_reset(&reps[0]);
			buf_reset(&reps[1]);
			buf_printf(&reps[0], "%s %s %s", families[pick(&g, ARRAY_LEN(families))], "Văn",
				   givens[pick(&g, ARRAY_LEN(givens))]);
			buf_printf(&reps[1], "%s %s %s", families[pick(&g, ARRAY_LEN(families))], "Thị",
				   givens[pick(&g, ARRAY_LEN(givens))]);
			in.representatives[0] = buf_cstr(&reps[0]);
			in.representatives[1] = buf_cstr(&reps[1]);
		}
		if (!str_eq(in.channel, "web") && chance(&g, 30))
			in.field_code = tp->field;
		if (str_eq(in.channel, "forwarded"))
			in.forwarded_from = "Ban Tiếp công dân Trung ương";
		util_set_clock(at_day(day, 8 + pick(&g, 9)));
		CaseCreated made_case;
		const char *problem = NULL;
		const Principal *desk = str_eq(in.channel, "web") ? NULL : &pv->reception;
		rc = case_intake(db, desk, &in, &made_case, &problem);
		buf_release(&rdate);
		if (rc) {
			fprintf(stderr, "demo: case %d refused: %s (%s)\n", i, rc_name(rc),
				problem ? problem : db_errmsg(db));
			break;
		}
		unsigned criteria = 0;
		if (chance(&g, 15))
			criteria |= CRIT_MULTI_PLACE;
		if (chance(&g, 10))
			criteria |= CRIT_MULTI_ALLEGATION;
		if (in.people_count >= 5)
			criteria |= CRIT_MANY_PEOPLE;
		Sim s = {db, &g, today, pv, made_case.id, in.kind, day, false};
		int64_t resp = chance(&g, 80) ? cm->pc_org : pv->pc_org;
		rc = simulate(&s, tp->field, cm->unit_id, resp, criteria, in.anonymous);
		(*made)++;
		if ((i % 250 == 249 || i == count - 1) && !rc) {
			util_set_clock(0);
			rc = db_commit(db);
			if (progress)
				progress("demo cases", i + 1, count);
		}
	}
	util_set_clock(0);
	if (rc && db_in_tx(db))
		db_rollback(db);
	free(repeat_ids);
	buf_release(&title);
	buf_release(&content);
	buf_release(&name);
	buf_release(&address);
	buf_release(&idnum);
	buf_release(&phone);
	buf_release(&reps[0]);
	buf_release(&reps[1]);
out:
	for (size_t i = 0; i < ncomm; i++)
		free(communes[i].name);
	free(communes);
	return rc;
}
