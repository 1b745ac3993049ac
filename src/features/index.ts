// Importing a model file registers it with mongoose; main.ts calls this before syncing indexes.
import { AuditEntry } from './audit/index.js';
import { SignInSlot, SignInState } from './auth/index.js';
import { ApiToken, User } from './users/index.js';
import { Charter } from './charters/index.js';
import { Initiative, InitiativeChange, Transition, Attachment, AttachmentFile } from './initiatives/index.js';
import { ActionItem, DistributionList, Meeting, MeetingClaim, MeetingPdf, VerifyCode } from './meetings/index.js';
import { MemoHint, MemoNumber, MemoRegister } from './memo-numbers/index.js';
import { Letterhead, LetterheadHistory } from './letterhead/index.js';
import { Office, Upazila } from './offices/index.js';

/** Registers every feature's models (the imports above do it; the list documents them). */
export function registerModels(): readonly string[] {
  return [Office, Upazila, User, AuditEntry, SignInSlot, SignInState, ApiToken, Charter, Initiative, Transition, InitiativeChange, Attachment, AttachmentFile, MemoRegister, MemoNumber, MemoHint, Meeting, ActionItem, DistributionList, MeetingPdf, VerifyCode, MeetingClaim, Letterhead, LetterheadHistory].map((m) => m.modelName);
}
