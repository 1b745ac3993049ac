// Typed errors thrown by services; one error middleware turns them into a page or JSON.
// Each carries a stable code and a Bangla-first message (English alongside for the English interface).

/** Field → message; a plain string is Bangla only, a Message carries both languages. */
export type FieldErrors = Record<string, string | Message>;

export interface Message {
  readonly bn: string;
  readonly en: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(
    readonly messages: Message,
    readonly details?: Record<string, unknown>,
  ) {
    super(messages.en);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'validation_failed';
  constructor(
    readonly fields: FieldErrors,
    messages: Message = { bn: 'তথ্য সঠিক নয়। চিহ্নিত ঘরগুলো ঠিক করুন।', en: 'Some fields are not valid.' },
  ) {
    super(messages, { fields });
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
  constructor(messages: Message = { bn: 'প্রথমে সাইন ইন করুন।', en: 'Please sign in first.' }) {
    super(messages);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(messages: Message = { bn: 'এই কাজের অনুমতি আপনার নেই।', en: 'You are not allowed to do this.' }) {
    super(messages);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(messages: Message = { bn: 'যা খুঁজছেন তা পাওয়া যায়নি।', en: 'Not found.' }) {
    super(messages);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
  constructor(
    messages: Message = { bn: 'অন্য কেউ ইতিমধ্যে এটি পরিবর্তন করেছেন।', en: 'Someone else changed this first.' },
    details?: Record<string, unknown>,
  ) {
    super(messages, details);
  }
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  constructor(messages: Message, details?: Record<string, unknown>) {
    super(messages, details);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
  constructor(messages: Message, details?: Record<string, unknown>) {
    super(messages, details);
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'unavailable';
  constructor(
    messages: Message = {
      bn: 'সেবাটি সাময়িকভাবে বন্ধ আছে। কিছুক্ষণ পর আবার চেষ্টা করুন।',
      en: 'The service is temporarily unavailable. Please try again shortly.',
    },
    details?: Record<string, unknown>,
  ) {
    super(messages, details);
  }
}

/** The database is away or restarting: the request may be tried again in a few seconds (503 + Retry-After). */
export const DATABASE_UNAVAILABLE: Message = {
  bn: 'ডেটাবেস এই মুহূর্তে সাড়া দিচ্ছে না (চালু হচ্ছে বা পুনরায় চালু হচ্ছে)। কয়েক সেকেন্ড পর আবার চেষ্টা করুন।',
  en: 'The database is not answering right now (starting or restarting). Please try again in a few seconds.',
};

/** Messages for failures that are not AppErrors, by status. */
export const STATUS_MESSAGES: Record<number, Message> = {
  400: { bn: 'অনুরোধটি সঠিক নয়।', en: 'Bad request.' },
  403: { bn: 'এই কাজের অনুমতি আপনার নেই।', en: 'Forbidden.' },
  404: { bn: 'পৃষ্ঠাটি পাওয়া যায়নি।', en: 'Page not found.' },
  413: { bn: 'পাঠানো তথ্য অনেক বড়।', en: 'The request is too large.' },
  415: { bn: 'পাঠানো তথ্যের ধরন এখানে গ্রহণযোগ্য নয়।', en: 'This content type is not accepted here.' },
  500: {
    bn: 'দুঃখিত, একটি অপ্রত্যাশিত সমস্যা হয়েছে। আপনার সংরক্ষিত তথ্য নিরাপদ আছে; আবার চেষ্টা করুন।',
    en: 'Sorry, something went wrong. Your saved data is safe; please try again.',
  },
  503: {
    bn: 'সেবাটি সাময়িকভাবে বন্ধ আছে। কিছুক্ষণ পর আবার চেষ্টা করুন।',
    en: 'The service is temporarily unavailable. Please try again shortly.',
  },
};
