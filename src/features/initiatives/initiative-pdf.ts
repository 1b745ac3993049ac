// An initiative's profile (উদ্ভাবনী উদ্যোগের প্রোফাইল) as the document template receives it: facts, problem,
// solution, TCV before/now/change, the stage timeline with dates in both calendars, replication areas, printed
// under the owning office's letterhead. Everything is formatted for print here (Bangla digits, both calendars);
// the template holds layout only. All reads are by _id or from in-process read models (office tree, people).
import { dhakaDateOf, dhakaToday, fiscalYearBn, formatDualDate, formatNumberBn, formatShortDateBn, isValidIsoDate, toBanglaDigits, type Clock } from '../../lib/index.js';
import type { PdfRenderer } from '../../platform/pdf/index.js';
import { renderInitiativeProfilePdf, type InitiativeProfileDocument } from '../documents/index.js';
import { letterheadFor } from '../letterhead/index.js';
import { officeTree } from '../offices/index.js';
import type { InitiativeDoc } from './initiative.model.js';
import { initiativeView, tcvChangeText } from './initiative.routes.js';
import { initiativesText } from './initiatives.i18n.js';
import { peopleByIds, type Person } from './people.js';

const TX = initiativesText.bn;
const stageBn = (s: string | null | undefined) => (s ? ((TX.stages as Record<string, string>)[s] ?? s) : '');
const kindBn = (k: string) => (TX.kinds as Record<string, string>)[k] ?? k;
const areaStatusBn = (s: string) => (TX.areaStatuses as Record<string, string>)[s] ?? s;
const taka = (n: number) => `${formatNumberBn(n)} টাকা`;
const personLine = (p: Person | undefined) => (p ? [p.nameBn, p.designationBn].filter(Boolean).join(', ') : undefined);

function fiscalYearText(fy: string): string {
  try {
    return fiscalYearBn(fy);
  } catch {
    return toBanglaDigits(fy);
  }
}

/** An area's dates ("YYYY-MM-DD" strings) as "পরিকল্পনা: ০১/০৭/২০২৫; শুরু: …". */
function areaDates(a: { plannedAt?: string | null; orientationAt?: string | null; startedAt?: string | null; liveAt?: string | null; stoppedAt?: string | null }): string {
  const parts: [string, string | null | undefined][] = [
    ['পরিকল্পনা', a.plannedAt],
    ['অবহিতকরণ সভা', a.orientationAt],
    ['শুরু', a.startedAt],
    ['লাইভ', a.liveAt],
    ['বন্ধ', a.stoppedAt],
  ];
  return parts
    .filter((p): p is [string, string] => !!p[1])
    .map(([label, d]) => `${label}: ${isValidIsoDate(d) ? formatShortDateBn(d) : toBanglaDigits(d)}`)
    .join('; ');
}

/** One initiative as the profile template receives it. */
export async function initiativeProfileDocument(d: InitiativeDoc, options: { clock: Clock; stuckPilotMonths: number }): Promise<InitiativeProfileDocument> {
  const tree = await officeTree();
  const office = tree.get(String(d.office));
  const officeName = office?.nameBn ?? '';
  const v = initiativeView(d, options.clock.now(), options.stuckPilotMonths, officeName);
  const people = await peopleByIds([v.lead, ...v.team, ...v.areas.map((a) => a.fieldOfficer)]);
  const facts: { label: string; value: string }[] = [];
  const fact = (label: string, value: string | undefined | null) => {
    if (value) facts.push({ label, value });
  };
  fact('ধরন', kindBn(v.kind));
  fact('বর্তমান পর্যায়', `${stageBn(v.stage)}${v.pausedFrom ? ` (${stageBn(v.pausedFrom)} থেকে)` : ''}${v.stuck ? ' — আটকে থাকা পাইলট' : ''}; ${formatDualDate(dhakaDateOf(new Date(v.stageEnteredAt)))} থেকে`);
  fact('দপ্তর', officeName);
  fact('দলনেতা', personLine(v.lead ? people.get(v.lead) : undefined));
  fact('দল', v.team.map((id) => personLine(people.get(id))).filter(Boolean).join('; '));
  fact('অর্থবছর', v.fiscalYear ? fiscalYearText(v.fiscalYear) : undefined);
  if (v.budget) {
    fact('বাজেট (প্রয়োজন)', typeof v.budget.needed === 'number' ? taka(v.budget.needed) : undefined);
    fact('বাজেট (বরাদ্দ)', typeof v.budget.allocated === 'number' ? taka(v.budget.allocated) : undefined);
    fact('বাজেট কোড', v.budget.code ? toBanglaDigits(v.budget.code) : undefined);
  }
  if (v.charterService) {
    const serviceOffice = v.charterService.office ? tree.get(String(v.charterService.office))?.nameBn : undefined;
    fact('সিটিজেন চার্টারের সেবা', `${v.charterService.name ?? ''}${v.charterService.serial ? ` (ক্রমিক ${toBanglaDigits(v.charterService.serial)})` : ''}${serviceOffice && serviceOffice !== officeName ? `, ${serviceOffice}` : ''}`.trim());
  }
  fact(
    'অংশীদার',
    v.partners
      .map((p) => [p.organisation, p.role ? `(${p.role})` : '', p.mouDate ? `সমঝোতা স্মারক: ${isValidIsoDate(p.mouDate) ? formatShortDateBn(p.mouDate) : toBanglaDigits(p.mouDate)}` : ''].filter(Boolean).join(' '))
      .filter(Boolean)
      .join('; '),
  );
  fact('ট্যাগ', v.tags.join(', '));
  fact('রেপ্লিকেশন এলাকা', v.areaCounts.total ? `মোট ${toBanglaDigits(v.areaCounts.total)}টি; লাইভ ${toBanglaDigits(v.areaCounts.live ?? 0)}টি` : undefined);

  const tcvLabels = { days: 'সময় (দিন)', taka: 'খরচ (টাকা)', visits: 'যাতায়াত (বার)' } as const;
  const num = (n: number | null | undefined) => (typeof n === 'number' ? formatNumberBn(n) : '—');
  const tcv =
    v.tcv.baseline || v.tcv.current
      ? (['days', 'taka', 'visits'] as const)
          .filter((k) => typeof v.tcv.baseline?.[k] === 'number' || typeof v.tcv.current?.[k] === 'number')
          .map((k) => {
            const change = v.tcv.change?.[k];
            return { label: tcvLabels[k], baseline: num(v.tcv.baseline?.[k]), current: num(v.tcv.current?.[k]), change: change ? tcvChangeText(change, formatNumberBn) : '—' };
          })
      : [];

  const timeline = v.history.map((h) => ({
    date: formatDualDate(dhakaDateOf(new Date(h.at))),
    move: h.from ? `${stageBn(h.from)} → ${stageBn(h.to)}` : `${stageBn(h.to)} (নথিভুক্ত)`,
    by: [h.by, h.approvedBy && h.approvedBy !== h.by ? `অনুমোদন: ${h.approvedBy}` : ''].filter(Boolean).join('; '),
    note: [h.note, h.approvalNote, h.reason].filter(Boolean).join('\n\n'),
  }));

  const areas = v.areas.map((a) => {
    const areaOffice = a.office ? tree.get(a.office)?.nameBn : undefined;
    return {
      name: `${a.nameBn}${areaOffice && areaOffice !== a.nameBn ? ` (${areaOffice})` : ''}`,
      status: areaStatusBn(a.status),
      officer: personLine(a.fieldOfficer ? people.get(a.fieldOfficer) : undefined) ?? '—',
      dates: areaDates(a) || '—',
    };
  });

  return {
    letterhead: await letterheadFor(String(d.office)),
    title: v.title,
    titleEn: v.titleEn ?? undefined,
    facts,
    problem: v.problem ?? undefined,
    solution: v.solution ?? undefined,
    tcv,
    timeline,
    areas,
    printedOn: formatDualDate(dhakaToday(options.clock)),
    meta: { title: v.title, subject: `উদ্ভাবনী উদ্যোগের প্রোফাইল — ${officeName}`, author: officeName, language: 'bn' },
  };
}

/** The profile as an A4 PDF (rendered fresh: it shows the initiative as it is now). */
export async function renderInitiativeProfile(renderer: PdfRenderer, d: InitiativeDoc, options: { clock: Clock; stuckPilotMonths: number }): Promise<Buffer> {
  return renderInitiativeProfilePdf(renderer, await initiativeProfileDocument(d, options));
}
