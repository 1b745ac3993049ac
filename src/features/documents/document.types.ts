// The data a document template receives. Every string is plain user text (the template escapes it) and every
// date, number and memo number is already formatted for print (Bangla digits, both calendars), so the
// templates hold layout only. The meetings feature builds a MinutesDocument from a meeting; the initiatives
// feature builds an InitiativeProfileDocument.

/** The office letterhead setting: printed at the top of every document of that office. */
export interface Letterhead {
  /** e.g. "গণপ্রজাতন্ত্রী বাংলাদেশ সরকার" */
  readonly government: string;
  /** The issuing office's name, e.g. "উপজেলা নির্বাহী অফিসারের কার্যালয়". */
  readonly officeName: string;
  /** Address lines, e.g. ["পাইকগাছা, খুলনা।"]. */
  readonly address: readonly string[];
  /** An optional motto line (e.g. a campaign slogan), printed small under the address. */
  readonly motto?: string | undefined;
  /** Optional logo as a data: URL (PNG/JPEG/SVG); nothing else is ever loaded. */
  readonly logoDataUrl?: string | undefined;
  /** Optional contact line (phone, e-mail, web). */
  readonly contact?: string | undefined;
}

export interface SignatureBlock {
  /** Printed date of the signature in both calendars, e.g. "১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ / ২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ"; absent before signing. */
  readonly date?: string | undefined;
  readonly name: string;
  /** One or more lines: designation (with "(চলতি দায়িত্ব)" when acting), office, place. */
  readonly lines: readonly string[];
  readonly phone?: string | undefined;
  readonly email?: string | undefined;
}

export interface DistributionEntry {
  /** Already numbered by the template: "১।", "২।"... */
  readonly text: string;
}

export interface DecisionRow {
  /** The decision text. */
  readonly text: string;
  /** Who implements it, joined for print (e.g. "উপজেলা আইসিটি অফিসার; ইনোভেশন অফিসার"). */
  readonly implementers: string;
  /** Printed deadline (Bangla digits) or empty. */
  readonly deadline?: string | undefined;
}

/** One row of the discussion/decision table: topic | discussion | decision(s) | implementer(s). */
export interface DiscussionItem {
  readonly topic: string;
  /** Discussion paragraphs (each printed as its own paragraph in the cell). */
  readonly paragraphs: readonly string[];
  /** Speaker designations, if recorded. */
  readonly speakers?: readonly string[] | undefined;
  readonly decisions: readonly DecisionRow[];
}

/** A previous meeting's decision and where it stands (the automatic review section). */
export interface PreviousDecisionRow {
  readonly text: string;
  readonly implementers: string;
  readonly deadline?: string | undefined;
  /** Printed status, e.g. "বাস্তবায়িত", "চলমান", "বাস্তবায়িত হয়নি". */
  readonly status: string;
  readonly lastUpdate?: string | undefined;
}

export interface AttendanceRow {
  readonly name: string;
  readonly designation: string;
  readonly office: string;
  readonly present: boolean;
  /** For absentees: "অনুপস্থিত (ছুটিতে)". */
  readonly remark?: string | undefined;
}

export interface MinutesDocument {
  readonly letterhead: Letterhead;
  /** The full subject line, e.g. "উপজেলা ইনোভেশন টিমের সেপ্টেম্বর/২০২৫ মাসের সভার কার্যবিবরণী।" */
  readonly subject: string;
  /** Chair line, e.g. "উপজেলা নির্বাহী অফিসার, পাইকগাছা, খুলনা।" (name and/or designation). */
  readonly chair: string;
  readonly venue: string;
  /** Meeting date in both calendars. */
  readonly date: string;
  /** e.g. "সকাল ১১.০০ ঘটিকা" */
  readonly time: string;
  /** e.g. "পরিশিষ্ট 'ক'" */
  readonly attendanceLine: string;
  /** Opening paragraphs (welcome, confirmation of the previous minutes...). */
  readonly opening: readonly string[];
  /** The automatic section on the previous meeting's decisions; empty when there is no previous meeting. */
  readonly previousDecisions: readonly PreviousDecisionRow[];
  /** Discussion items with their decisions (the table). */
  readonly items: readonly DiscussionItem[];
  /** Decisions that belong to no discussion item, printed as a numbered list after the table. */
  readonly otherDecisions: readonly DecisionRow[];
  readonly closing: readonly string[];
  /** The chair's (signer's) block. */
  readonly signer: SignatureBlock;
  /** Memo number in Bangla digits, without the "স্মারক নং-" prefix; absent for a draft. */
  readonly memoNumber?: string | undefined;
  /** Memo date in both calendars; absent for a draft. */
  readonly memoDate?: string | undefined;
  /** "(জ্যেষ্ঠতার ক্রমানুসারে নয়)" is printed when true. */
  readonly notBySeniority: boolean;
  readonly distribution: {
    readonly action: readonly DistributionEntry[];
    readonly information: readonly DistributionEntry[];
    readonly attention: readonly DistributionEntry[];
  };
  /** The issuing officer's block (often the innovation officer); absent for a draft. */
  readonly issuer?: SignatureBlock | undefined;
  readonly attendance: readonly AttendanceRow[];
  /** A corrigendum names what it corrects, e.g. "স্মারক নং-... তারিখ ... এর সংশোধনী". */
  readonly corrects?: string | undefined;
  /** Draft: the "খসড়া" watermark is printed on every page. */
  readonly draft: boolean;
  /** Issued documents: the verification code and URL printed with a QR code. */
  readonly verification?: { readonly code: string; readonly url: string } | undefined;
  /** PDF metadata. */
  readonly meta: { readonly title: string; readonly subject: string; readonly author: string; readonly language: 'bn' };
}

export interface InitiativeProfileDocument {
  readonly letterhead: Letterhead;
  readonly title: string;
  readonly titleEn?: string | undefined;
  /** Printed label/value rows (kind, stage, office, lead, fiscal year, budget, charter service...). */
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  readonly problem?: string | undefined;
  readonly solution?: string | undefined;
  /** TCV rows: label | baseline | current | change. */
  readonly tcv: readonly { readonly label: string; readonly baseline: string; readonly current: string; readonly change: string }[];
  /** Stage timeline: date (both calendars) | from → to | who | note. */
  readonly timeline: readonly { readonly date: string; readonly move: string; readonly by: string; readonly note: string }[];
  /** Replication areas: name | status | field officer | dates. */
  readonly areas: readonly { readonly name: string; readonly status: string; readonly officer: string; readonly dates: string }[];
  /** Printed "as of" date in both calendars. */
  readonly printedOn: string;
  readonly meta: { readonly title: string; readonly subject: string; readonly author: string; readonly language: 'bn' };
}
