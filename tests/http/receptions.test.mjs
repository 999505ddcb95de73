// receptions.test.mjs — the citizen reception schedule: leaders' staff
// (CAP_DIALOGUE) add and cancel receptions of their area's organisations
// at /receptions; the public page /lich-tiep-cong-dan shows the coming
// ones by day in Vietnamese ("Thứ Hai, 7/12/2026"), a cancelled one marked;
// the home page links to it; another area can neither add for nor cancel
// an organisation that is not its own; fields are checked and escaped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlite, sqliteValue, vnIsoDate } from './lib/server.mjs';

let srv, hn, hp;
const pc = () => Number(sqliteValue(srv.db, "SELECT id FROM org WHERE code = 'p01-pc'"));

/* The date `days` from today (Vietnam) as YYYY-MM-DD, and as the page
 * writes it: "Thứ Hai, 7/12/2026". */
function dayFrom(days) {
	const [y, m, d] = vnIsoDate().split('-').map(Number);
	const t = new Date(Date.UTC(y, m - 1, d + days));
	const iso = t.toISOString().slice(0, 10);
	const names = ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
	const vi = `${names[t.getUTCDay()]}, ${t.getUTCDate()}/${t.getUTCMonth() + 1}/${t.getUTCFullYear()}`;
	return { iso, vi };
}

before(async () => {
	srv = await startServer();
	hn = srv.client();
	await hn.loginOk('ha-noi.leader');
	hp = srv.client();
	await hp.loginOk('hai-phong.leader');
});
after(async () => { await srv?.stop(); });

const add = async (client, fields) => {
	await client.page('/receptions');
	return client.post('/receptions', { form: { csrf: client.csrf, ...fields } });
};

test('a leader\'s office publishes a reception; the public page shows it by day, escaped; the home page links to it', async () => {
	const day = dayFrom(9);
	const host = 'Đồng chí Nguyễn Văn Tiếp, Chủ tịch UBND Thành phố <b>';
	const res = await add(hn, {
		org: String(pc()), day: day.iso, start: '08:00', end: '11:30', kind: 'regular',
		host, place: 'Trụ sở Tiếp công dân Thành phố, số 1 Tiếp Dân', note: '<script>alert(1)</script> Mang theo căn cước',
	});
	assert.equal(res.status, 303, res.text.slice(0, 300));
	assert.equal(res.location, '/receptions?saved=1');
	const pub = await srv.client().get('/lich-tiep-cong-dan');
	assert.equal(pub.status, 200);
	assert.match(pub.text, /<h1>Lịch tiếp công dân<\/h1>/);
	assert.ok(pub.text.includes(`<h2>${day.vi}</h2>`), `no heading "${day.vi}"`);
	assert.ok(pub.text.includes('<strong>08:00–11:30</strong> · Tiếp công dân định kỳ'));
	assert.ok(pub.text.includes('Nguyễn Văn Tiếp, Chủ tịch UBND Thành phố &lt;b&gt;'), 'the host is not shown escaped');
	assert.ok(!pub.text.includes('<script>alert(1)</script>'), 'a script payload came back unescaped');
	assert.ok(pub.text.includes('&lt;script&gt;alert(1)&lt;/script&gt; Mang theo căn cước'));
	/* English */
	const en = await srv.client().get('/lich-tiep-cong-dan?lang=en');
	assert.match(en.text, /Citizen reception schedule/);
	assert.match(en.text, /Regular reception/);
	const home = await srv.client().get('/');
	assert.match(home.text, /href="\/lich-tiep-cong-dan"/);
	/* audited */
	assert.equal(sqliteValue(srv.db, "SELECT count(*) FROM audit WHERE action = 'reception.add'"), '1');
});

test('fields are checked: a past day, times, the kind, the texts', async () => {
	const n = () => sqliteValue(srv.db, 'SELECT count(*) FROM reception');
	const before_ = n();
	const ok = { org: String(pc()), day: dayFrom(3).iso, start: '14:00', end: '', kind: 'dialogue', host: 'Đồng chí A', place: 'Hội trường' };
	for (const [bad, message] of [
		[{ day: dayFrom(-1).iso }, 'Ngày này đã qua.'],
		[{ day: '2026-13-40' }, 'Nhập ngày theo định dạng YYYY-MM-DD.'],
		[{ start: '25:00' }, 'Nhập giờ bắt đầu theo định dạng HH:MM.'],
		[{ end: '13:00' }, 'Giờ kết thúc phải sau giờ bắt đầu (HH:MM).'],
		[{ kind: 'party' }, 'Chọn hình thức tiếp công dân.'],
		[{ host: '' }, 'Nhập người tiếp công dân (tối đa 300 ký tự).'],
		[{ place: 'x'.repeat(301) }, 'Nhập địa điểm (tối đa 300 ký tự).'],
	]) {
		const res = await add(hn, { ...ok, ...bad });
		assert.equal(res.status, 400, JSON.stringify(bad));
		assert.ok(res.text.includes(message), `${JSON.stringify(bad)}: no "${message}"`);
	}
	assert.equal(n(), before_, 'a refused reception was stored');
	const res = await add(hn, ok);
	assert.equal(res.status, 303);
	const pub = await srv.client().get('/lich-tiep-cong-dan');
	assert.ok(pub.text.includes('<strong>14:00</strong> · Đối thoại trực tiếp'));
});

test('another area can neither add for nor cancel Hà Nội\'s receptions, nor see them on its page; staff without the capability get 403', async () => {
	const id = Number(sqliteValue(srv.db, "SELECT id FROM reception WHERE host LIKE '%Nguyễn Văn Tiếp%'"));
	const count = sqliteValue(srv.db, 'SELECT count(*) FROM reception');
	const res = await add(hp, { org: String(pc()), day: dayFrom(5).iso, start: '08:00', kind: 'regular', host: 'Ai đó', place: 'Đâu đó' });
	assert.equal(res.status, 400);
	assert.ok(res.text.includes('Chọn một cơ quan, tổ chức trên địa bàn của bạn.'));
	assert.equal(sqliteValue(srv.db, 'SELECT count(*) FROM reception'), count);
	await hp.page('/receptions');
	const cancel = await hp.post(`/receptions/${id}/cancel`, { form: { csrf: hp.csrf } });
	assert.equal(cancel.status, 404);
	assert.equal(sqliteValue(srv.db, `SELECT cancelled FROM reception WHERE id = ${id}`), '0');
	const page = await hp.get('/receptions');
	assert.equal(page.status, 200);
	assert.ok(!page.text.includes('Hội trường') && !page.text.includes('Nguyễn Văn Tiếp'), 'Hải Phòng sees Hà Nội\'s schedule');
	assert.ok(page.text.includes('tỉnh Hải Phòng') || page.text.includes('thành phố Hải Phòng'), 'Hải Phòng does not see its own schedule');
	const reception = srv.client();
	await reception.loginOk('ha-noi.reception');
	assert.equal((await reception.get('/receptions')).status, 403);
	/* and without a token, nothing */
	const forged = await hn.post(`/receptions/${id}/cancel`, { form: {} });
	assert.equal(forged.status, 403);
});

test('a cancelled reception stays on the public page, marked', async () => {
	const id = Number(sqliteValue(srv.db, "SELECT id FROM reception WHERE host LIKE '%Nguyễn Văn Tiếp%'"));
	await hn.page('/receptions');
	const res = await hn.post(`/receptions/${id}/cancel`, { form: { csrf: hn.csrf } });
	assert.equal(res.status, 303);
	assert.equal(sqliteValue(srv.db, `SELECT cancelled FROM reception WHERE id = ${id}`), '1');
	const again = await hn.post(`/receptions/${id}/cancel`, { form: { csrf: hn.csrf } });
	assert.equal(again.status, 409);
	const pub = await srv.client().get('/lich-tiep-cong-dan');
	assert.match(pub.text, /<li class="cancelled"><p><strong>08:00–11:30<\/strong> · Tiếp công dân định kỳ · <strong>Đã hủy<\/strong>/);
	assert.deepEqual(sqlite(srv.db, "SELECT count(*) FROM audit WHERE action = 'reception.cancel'"), [['1']]);
});
