// The meetings feature's public face for other features (the feature's own files import each other directly).
export {
  /** Schedules a meeting (draft minutes) in an office the caller manages. */
  createMeeting,
} from './meeting.service.js';
export {
  /** Writes the draft (or returned) minutes at the version read. */
  saveMinutes,
  /** Sends the minutes for signature. */
  submitMinutes,
  /** Signs submitted minutes (head of the office or above, or the chair), freezing their content. */
  signMinutes,
  /** Issues signed minutes exactly once: memo number, distribution, action items. */
  issueMinutes,
  type IssueResult,
} from './minutes.service.js';
export {
  /** An open or in-progress decision whose deadline (Dhaka date) has passed. */
  isOverdue,
} from './decisions.service.js';
export {
  /** Meetings the caller may see, from the in-process read model. */
  listMeetings,
  /** Decisions (action items) the caller may see, from the in-process read model. */
  listDecisions,
  /** Minutes waiting for the caller's signature. */
  signingQueue,
} from './meeting.read-model.js';
/** A request's context for the meeting services. */
export type { Ctx } from './meeting-guards.js';
export { meetingEventHandlers, type MeetingEvents } from './meeting.events.js';
export { meetingMail } from './meeting.mail.js';
export { ActionItem, DistributionList, Meeting, MeetingClaim, MeetingPdf, VerifyCode, type ActionItemDoc, type MeetingDoc } from './meeting.model.js';
export { meetingRoutes } from './meeting.routes.js';
export { meetingsText, memoText } from './meetings.i18n.js';
export { minutesPdfRoutes } from './minutes-pdf.routes.js';
