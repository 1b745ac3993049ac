// Importing a model file registers it with mongoose; main.ts calls this before syncing indexes.
import { AuditEntry } from './audit/audit.model.js';
import { SignInSlot, SignInState } from './auth/auth.model.js';
import { ApiToken } from './users/api-tokens.js';
import { Charter } from './charters/charter.model.js';
import { Initiative, InitiativeChange, Transition } from './initiatives/initiative.model.js';
import { Attachment, AttachmentFile } from './initiatives/attachment.model.js';
import { ActionItem, DistributionList, Meeting, MeetingClaim, MeetingPdf, VerifyCode } from './meetings/meeting.model.js';
import { MemoHint, MemoNumber, MemoRegister } from './memo-numbers/memo.model.js';
import { Letterhead, LetterheadHistory } from './letterhead/letterhead.model.js';
import { Office } from './offices/office.model.js';
import { Upazila } from './offices/upazila.model.js';
import { User } from './users/user.model.js';

/** Registers every feature's models (the imports above do it; the list documents them). */
export function registerModels(): readonly string[] {
  return [Office, Upazila, User, AuditEntry, SignInSlot, SignInState, ApiToken, Charter, Initiative, Transition, InitiativeChange, Attachment, AttachmentFile, MemoRegister, MemoNumber, MemoHint, Meeting, ActionItem, DistributionList, MeetingPdf, VerifyCode, MeetingClaim, Letterhead, LetterheadHistory].map((m) => m.modelName);
}
