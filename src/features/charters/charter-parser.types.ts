// What reading a citizen charter gives (parseCharter in charter-parser.ts): the services and the row errors.

export type CharterSection = 'citizen' | 'institutional' | 'internal';

export interface CharterService {
  section: CharterSection;
  /** Serial as written, in Latin digits, without its punctuation: '১.' → '1', '১০' → '10', '০৭' → '07'. */
  serial: string;
  name: string;
  /** সেবা প্রদান পদ্ধতি. */
  method: string;
  /** প্রয়োজনীয় কাগজপত্র ও প্রাপ্তিস্থান. */
  documents: string;
  /** সেবার মূল্য ও পরিশোধ পদ্ধতি, as written. */
  fee: string;
  /** সেবা প্রদানের সময়সীমা, as written. */
  timeLimit: string;
  /** parseTimeLimitDays(timeLimit). */
  timeLimitDays: number | null;
  /** Name, designation, phone, e-mail, as written (HTML removed). */
  officer: string;
  /** True when the officer cell was blank and the previous service's officer was copied. */
  officerInherited: boolean;
  /** Line of the input where the row starts, 1-based. */
  row: number;
}

export interface CharterParseError {
  /** Line of the input where the unreadable row starts, 1-based; 0 for the whole file. */
  row: number;
  /** Bangla message for the user. */
  message: string;
  messageEn: string;
}

export interface CharterParseResult {
  services: CharterService[];
  errors: CharterParseError[];
  vision?: string;
  mission?: string;
}
