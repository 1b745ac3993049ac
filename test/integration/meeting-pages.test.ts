// The meeting pages, through their forms: schedule, write the minutes, submit, sign from the signing queue,
// issue with a distribution, see the register; signed minutes cannot be changed through the pages either.
import { expect } from 'chai';
import { ActionItem, Meeting } from '../../src/features/meetings/meeting.model.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { signIn, type SignedIn } from '../support/auth.js';
import { resetDatabase } from '../support/db.js';
import { createUser, createWorld } from '../support/factories.js';

describe('meeting pages', function () {
  this.timeout(60_000);
  let server: TestServer;
  let officer: SignedIn;
  let head: SignedIn;
  let field: SignedIn;
  let meetingId: string;
  let office: string;

  before(async () => {
    await resetDatabase();
    const world = await createWorld();
    office = String(world.districtA._id);
    server = await startTestServer({ clock: '2025-09-29T10:00:00+06:00' });
    const o = await createUser({ office: world.districtA, roles: ['innovation_officer'], username: 'mp-officer', nameBn: 'ইনোভেশন অফিসার' });
    const h = await createUser({ office: world.districtA, roles: ['head'], username: 'mp-head', nameBn: 'জেলা প্রশাসক', designationBn: 'জেলা প্রশাসক' });
    const f = await createUser({ office: world.upazilaA, roles: ['field_officer'], username: 'mp-field' });
    officer = await signIn(server.url, o.username);
    head = await signIn(server.url, h.username);
    field = await signIn(server.url, f.username);
    await officer.agent.post('/memo-registers').type('form').send({ _csrf: officer.csrf, name: 'জেলা বহি', office, layout: '2014', seg_ministry: '৩২', seg_department: '০১', seg_geo: '৪৭০০', seg_branch: '১', seg_subject: '২৫', seg_file: '১১', seg_year: '২৫', separator: '-', startSerial: '৬৮', isDefault: 'on' }).expect(302);
  });
  after(() => server?.close());

  it('when the officer fills the new-meeting form, then the meeting page shows it as a draft with the annex; a field officer cannot open the form', async () => {
    expect((await field.agent.get('/meetings/new')).status).to.equal(403);
    const bad = await officer.agent.post('/meetings/new').type('form').send({ _csrf: officer.csrf, kind: 'review', subject: '', office, chairText: 'জেলা প্রশাসক', date: '2025-09-28', time: '11:00' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.include('বিষয় দিন');
    const res = await officer.agent.post('/meetings/new').type('form').send({ _csrf: officer.csrf, kind: 'review', subject: 'জেলা উদ্ভাবন পর্যালোচনা সভা', office, chairText: 'জেলা প্রশাসক, খুলনা', venue: 'সম্মেলন কক্ষ', date: '2025-09-28', time: '11:00', agenda: 'অগ্রগতি\nবিবিধ', attendance: 'ক খ | জেলা প্রশাসক | জেলা প্রশাসকের কার্যালয়\nগ ঘ | উপজেলা আইসিটি অফিসার | উপজেলা কার্যালয় | ছুটিতে' });
    expect(res.status, res.text).to.equal(302);
    meetingId = String(res.headers.location).split('/').pop()!;
    const page = await officer.agent.get(`/meetings/${meetingId}`).expect(200);
    expect(page.text).to.include('জেলা উদ্ভাবন পর্যালোচনা সভা');
    expect(page.text).to.include('সকাল ১১.০০ ঘটিকা');
    expect(page.text).to.include('২৮ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ');
    expect(page.text).to.include('অনুপস্থিত (ছুটিতে)');
    expect(page.text).to.match(/data-testid="status">খসড়া/);
  });

  it('when the officer writes the minutes in the editor, then the table shows topic, discussion, decision and implementer', async () => {
    const editor = await officer.agent.get(`/meetings/${meetingId}/minutes`).expect(200);
    expect(editor.text).to.include('name="item_0_topic"');
    const res = await officer.agent.post(`/meetings/${meetingId}/minutes`).type('form').send({
      _csrf: officer.csrf,
      opening: 'সভাপতি সবাইকে স্বাগত জানান।',
      item_0_topic: 'পাইলটিং অগ্রগতি',
      item_0_paragraphs: '৩টি ইউনিয়নে পাইলটিং চলমান।\n\nসেবা পেতে সময় কমেছে।',
      item_0_speakers: '',
      item_1_topic: '',
      decision_0_text: 'মূল্যায়ন প্রতিবেদন আগামী সভায় দিতে হবে।',
      decision_0_implementers: 'ইনোভেশন অফিসার; উপজেলা আইসিটি অফিসার',
      decision_0_deadline: '১৫/১০/২০২৫',
      decision_0_item: '১',
      decision_1_text: 'অফিস কপি সংরক্ষণ করতে হবে।',
      decision_1_implementers: 'প্রশাসনিক কর্মকর্তা',
      decision_1_item: '',
      closing: 'ধন্যবাদ জানিয়ে সভা শেষ হয়।',
    });
    expect(res.status).to.equal(302);
    const m = await Meeting.findById(meetingId).lean();
    expect(m!.minutes!.items.map((i) => [i.topic, i.paragraphs])).to.deep.equal([['পাইলটিং অগ্রগতি', ['৩টি ইউনিয়নে পাইলটিং চলমান।', 'সেবা পেতে সময় কমেছে।']]]);
    expect(m!.minutes!.decisions.map((d) => [d.text, d.item, d.deadline, d.implementers.map((p) => p.text)])).to.deep.equal([
      ['মূল্যায়ন প্রতিবেদন আগামী সভায় দিতে হবে।', 0, '2025-10-15', ['ইনোভেশন অফিসার', 'উপজেলা আইসিটি অফিসার']],
      ['অফিস কপি সংরক্ষণ করতে হবে।', null, undefined, ['প্রশাসনিক কর্মকর্তা']],
    ]);
    const page = await officer.agent.get(`/meetings/${meetingId}`).expect(200);
    expect(page.text).to.include('মূল্যায়ন প্রতিবেদন আগামী সভায় দিতে হবে।');
    expect(page.text).to.include('ইনোভেশন অফিসার; উপজেলা আইসিটি অফিসার');
  });

  it('when submitted, then the head finds it in the signing queue and signs; afterwards the editor refuses changes', async () => {
    await officer.agent.post(`/meetings/${meetingId}/submit`).type('form').send({ _csrf: officer.csrf }).expect(302);
    const queue = await head.agent.get('/meetings/signing').expect(200);
    expect(queue.text).to.include(`/meetings/${meetingId}`);
    expect((await officer.agent.get('/meetings/signing').expect(200)).text).not.to.include(`/meetings/${meetingId}`);
    const page = await head.agent.get(`/meetings/${meetingId}`).expect(200);
    expect(page.text).to.include('data-testid="sign"');
    await head.agent.post(`/meetings/${meetingId}/sign`).type('form').send({ _csrf: head.csrf }).expect(302);
    const signed = await Meeting.findById(meetingId).lean();
    expect(signed!.status).to.equal('signed');
    const before = JSON.stringify(signed!.minutes);
    const edit = await officer.agent.post(`/meetings/${meetingId}/minutes`).type('form').send({ _csrf: officer.csrf, opening: 'বদলে দিলাম', item_0_topic: 'x' });
    expect(edit.status).to.equal(302);
    const flashPage = await officer.agent.get(String(edit.headers.location)).expect(200);
    expect(flashPage.text).to.include('স্বাক্ষরিত কার্যবিবরণী আর পরিবর্তন করা যায় না');
    expect(JSON.stringify((await Meeting.findById(meetingId).lean())!.minutes)).to.equal(before);
  });

  it('when the officer issues with a distribution, then the memo number shows on the meeting page and in the register page', async () => {
    const res = await officer.agent.post(`/meetings/${meetingId}/issue`).type('form').send({ _csrf: officer.csrf, dist_action: 'উপজেলা আইসিটি অফিসার\nইনোভেশন টিমের সকল সদস্য', dist_information: 'জেলা প্রশাসক\nঅফিস কপি', notBySeniority: 'on' });
    expect(res.status).to.equal(302);
    const page = await officer.agent.get(`/meetings/${meetingId}`).expect(200);
    expect(page.text).to.include('৩২.০১.৪৭০০.০০১.২৫.০১১.২৫-৬৮');
    expect(page.text).to.include('জ্যেষ্ঠতার ক্রমানুসারে নয়');
    expect(page.text).to.include('ইনোভেশন টিমের সকল সদস্য');
    const registers = await officer.agent.get('/memo-registers').expect(200);
    const registerId = /href="\/memo-registers\/([0-9a-f]{24})"/.exec(registers.text)![1];
    const reg = await officer.agent.get(`/memo-registers/${registerId}`).expect(200);
    expect(reg.text).to.include('৩২.০১.৪৭০০.০০১.২৫.০১১.২৫-৬৮');
    expect(reg.text).to.include(`/meetings/${meetingId}`);
    expect(reg.text).to.include('৩২.০১.৪৭০০.০০১.২৫.০১১.২৫-৬৯'); // the next number
  });

  it('when the "take a number" form is sent twice (a double click), then the letter gets one number and the next stays free', async () => {
    const registers = await officer.agent.get('/memo-registers').expect(200);
    const registerId = /href="\/memo-registers\/([0-9a-f]{24})"/.exec(registers.text)![1];
    const form = await officer.agent.get(`/memo-registers/${registerId}`).expect(200);
    const key = /name="key" value="([^"]+)"/.exec(form.text)![1];
    const send = () => officer.agent.post(`/memo-registers/${registerId}/numbers`).type('form').send({ _csrf: officer.csrf, key, subject: 'জেলা প্রশাসকের কাছে পত্র' });
    expect((await send()).status).to.equal(302);
    expect((await send()).status).to.equal(302);
    const reg = await officer.agent.get(`/memo-registers/${registerId}`).expect(200);
    expect(reg.text.match(/জেলা প্রশাসকের কাছে পত্র/g)).to.have.length(1);
    expect(reg.text).to.include('৩২.০১.৪৭০০.০০১.২৫.০১১.২৫-৭০'); // -৬৯ went to the letter, -৭০ is next
  });

  it('when the decisions page is opened, then the open decisions of issued minutes are listed and progress can be recorded', async () => {
    const list = await head.agent.get('/decisions').expect(200);
    expect(list.text).to.include('মূল্যায়ন প্রতিবেদন আগামী সভায় দিতে হবে।');
    const id = /action="\/decisions\/([0-9a-f]{24})"/.exec(list.text)![1];
    await head.agent.post(`/decisions/${id}`).type('form').send({ _csrf: head.csrf, status: 'in_progress', update: 'কাজ চলছে' }).expect(302);
    const saved = await ActionItem.findById(id).lean();
    expect(saved!.status).to.equal('in_progress');
    expect(saved!.updates.at(-1)).to.include({ status: 'in_progress', text: 'কাজ চলছে' });
    // The row's status cell (the select's options also say চলমান, so look at the cell itself).
    expect((await head.agent.get('/decisions').expect(200)).text).to.match(/<td>চলমান<\/td>/);
  });
});
