// The renderer's typed errors: each carries its HTTP status, a stable code and a Bangla-first message.
import { AppError } from '../../kernel/errors.js';

/** More renders are waiting than the queue allows. */
export class PdfQueueFullError extends AppError {
  readonly status = 503;
  readonly code = 'pdf_queue_full';
  constructor(limit: number) {
    super(
      {
        bn: 'এই মুহূর্তে অনেক নথি তৈরি হচ্ছে। কিছুক্ষণ পর আবার চেষ্টা করুন।',
        en: 'Too many documents are being prepared. Please try again shortly.',
      },
      { limit },
    );
  }
}

/** A render (or the wait for a page) passed its deadline. */
export class PdfRenderTimeoutError extends AppError {
  readonly status = 503;
  readonly code = 'pdf_timeout';
  constructor(
    readonly phase: 'acquire' | 'render',
    readonly timeoutMs: number,
  ) {
    super(
      { bn: 'নথি তৈরি করতে বেশি সময় লাগছে। আবার চেষ্টা করুন।', en: `Preparing the document took too long (${phase}, ${timeoutMs} ms).` },
      { phase, timeoutMs },
    );
  }
}

/** The browser crashed or failed during the render. */
export class PdfRenderError extends AppError {
  readonly status = 500;
  readonly code = 'pdf_failed';
  constructor(reason: string, options?: { cause?: unknown }) {
    super({ bn: 'নথি তৈরি করা যায়নি। আবার চেষ্টা করুন।', en: `The document could not be prepared: ${reason}` }, { reason });
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** render() after close(). */
export class PdfRendererClosedError extends AppError {
  readonly status = 503;
  readonly code = 'pdf_closed';
  constructor() {
    super({ bn: 'সেবাটি বন্ধ হচ্ছে।', en: 'The PDF renderer is shut down.' });
  }
}
