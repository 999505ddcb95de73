// suggest_jobs.test.mjs — repeat and duplicate suggestions are made by the
// background worker (src/jobs/jobs.c), woken by the write that received
// the case (jobs_kick), not by its timer: with an interval of an hour the
// suggestion must still be there within seconds, and intake itself only
// queues the comparison (case_link_pending).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, copyFixture, tempDir, cli, makeToken, sqlite, vnIsoDate } from './lib/server.mjs';

let srv, rec;
const today = vnIsoDate();

before(async () => {
	const dir = tempDir();
	const db = await copyFixture(dir);
	await cli(['deadline', 'rules'], { db });
	srv = await startServer({ db, dir, env: { DANVAN_JOBS_INTERVAL: '3600' } });
	rec = await makeToken(srv.db, 'c00004.reception');
});

after(async () => { await srv?.stop(); });

const create = async (json) => {
	const res = await srv.client().request('POST', '/api/v1/cases', { bearer: rec, json });
	assert.equal(res.status, 201, res.text);
	return res.json().id;
};

test('the worker suggests the repeat and the duplicate soon after intake, without waiting for its timer', async () => {
	const matter = {
		kind: 'petition', channel: 'desk', received_on: today,
		content: 'Cống thoát nước trước cửa chợ Ngọc Hà bị vỡ nắp, nước thải tràn ra mặt đường, '
			+ 'gây mùi hôi và nguy hiểm cho người đi đường, đề nghị phường sửa chữa ngay.',
		citizen: { name: 'Trần Văn Nhắc', phone: '0912777001', id_number: '001190777001' },
	};
	const first = await create({ ...matter, title: 'Cống vỡ nắp trước chợ Ngọc Hà' });
	const second = await create({ ...matter, title: 'Lại phản ánh cống vỡ nắp trước chợ Ngọc Hà' });
	const links = () => sqlite(srv.db, `SELECT kind FROM case_link WHERE case_id = ${second} AND other_id = ${first} ORDER BY kind`).map((r) => r[0]);
	const deadline = Date.now() + 10000;
	while (links().length < 2 && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 100));
	assert.deepEqual(links(), ['duplicate', 'repeat'], 'no suggestion within 10 s of intake (interval is an hour)');
	assert.deepEqual(sqlite(srv.db, `SELECT case_id FROM case_link_pending WHERE case_id IN (${first}, ${second})`), []);
	/* links go from the newer case to the older one only */
	assert.deepEqual(sqlite(srv.db, `SELECT kind FROM case_link WHERE case_id = ${first}`), []);
});
