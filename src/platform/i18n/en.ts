// English interface text; keys mirror bn.ts.
import type { bn } from './bn.js';

export const en: typeof bn = {
  app: { name: 'Udbhabon', tagline: 'Innovation management for government offices' },
  nav: {
    home: 'Home',
    skip: 'Skip to main content',
    language: 'বাংলা',
    languageLabel: 'Change language',
    main: 'Main menu',
    offices: 'Offices',
    initiatives: 'Initiatives',
    meetings: 'Meetings',
    signing: 'To sign',
    decisions: 'Decisions',
    memoRegisters: 'Memo registers',
    people: 'People',
    users: 'Users',
    audit: 'Audit log',
    profile: 'Profile',
    signIn: 'Sign in',
    signOut: 'Sign out',
  },
  roles: {
    admin: 'System administrator',
    innovation_officer: 'Innovation officer',
    head: 'Office head',
    field_officer: 'Field officer',
    monitor: 'Monitoring team',
    observer: 'Observer',
  },
  auth: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
  },
  users: { actingShort: 'acting charge' },
  home: {
    title: 'Udbhabon',
    dashboard: 'My work',
    lead: 'Initiatives, review meetings, signed minutes and quarterly monitoring — in one place.',
    today: 'Today',
    quarter: 'Current quarter',
    due: 'Report due',
    signInPrompt: 'Sign in to start work.',
    seeAll: 'See all',
    overdueBadge: 'overdue',
    sections: {
      admin: {
        mustChange: { title: 'Waiting to change their password', empty: 'Every user has set their own password.' },
        recent: { title: 'Recent changes', empty: 'Every change is in the audit log.' },
      },
      officer: {
        drafts: { title: 'Draft and returned minutes', empty: 'No draft or returned minutes.' },
        proposals: { title: 'My proposals waiting for approval', empty: 'None of your stage-change proposals is waiting.' },
        stuck: { title: 'Stuck pilots', empty: 'No pilot is stuck.' },
        decisions: { title: 'Decisions due soon', empty: 'No decision is overdue or due in the next 14 days.' },
      },
      head: {
        toSign: { title: 'Minutes waiting for your signature', empty: 'No minutes are waiting for signature.' },
        gates: { title: 'Stage changes waiting for approval', empty: 'No proposals are waiting.' },
        overdue: { title: 'Overdue decisions', empty: 'No decision is past its deadline.' },
        stuck: { title: 'Stuck pilots', empty: 'No pilot is stuck.' },
      },
      field: {
        evidence: { title: "This quarter's evidence", empty: 'No evidence is due from you this quarter.' },
        areas: { title: 'My replication areas', empty: 'No replication areas are assigned to you.' },
        decisions: { title: 'Decisions for me to implement', empty: 'No open decision is assigned to you or your office.' },
      },
      monitor: {
        toReview: { title: 'Submissions to review', empty: 'No submissions are waiting for review.' },
        overdue: { title: 'Late submissions', empty: 'No office is late.' },
      },
      observer: {
        overview: { title: 'Overview', empty: 'A summary appears here once initiatives and meetings are recorded.' },
      },
    },
  },
  errors: {
    title: 'Problem',
    back: 'Back to the home page',
    requestId: 'Request id',
  },
  footer: { gov: "Government of the People's Republic of Bangladesh" },
};
