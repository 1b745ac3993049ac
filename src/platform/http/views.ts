// Handlebars for web pages (views/). Documents for PDF live in templates/ and have their own renderer.
import path from 'node:path';
import type express from 'express';
import { create } from 'express-handlebars';
import { dhakaDateOf, formatDualDate, formatNumberBn, formatShortDateBn, toBanglaDigits } from '../../lib/index.js';

export function viewHelpers(): Record<string, (...args: unknown[]) => unknown> {
  const plain = (args: unknown[]): unknown[] => args.slice(0, -1); // drop Handlebars' options argument
  return {
    /** {{t "home.title"}}: interface text in the page's language. */
    t(...args: unknown[]) {
      const [key] = plain(args);
      const options = args.at(-1) as { data?: { root?: { t?: (k: string) => string } } };
      const t = options.data?.root?.t;
      return t ? t(String(key)) : String(key);
    },
    /** Bangla digits when the page is Bangla. */
    digits(...args: unknown[]) {
      const [value] = plain(args);
      const options = args.at(-1) as { data?: { root?: { lang?: string } } };
      return options.data?.root?.lang === 'en' ? String(value ?? '') : toBanglaDigits(String(value ?? ''));
    },
    number(...args: unknown[]) {
      const [value] = plain(args);
      return formatNumberBn(Number(value));
    },
    dualDate(...args: unknown[]) {
      const [value] = plain(args);
      return value ? formatDualDate(String(value)) : '';
    },
    shortDate(...args: unknown[]) {
      const [value] = plain(args);
      return value ? formatShortDateBn(String(value)) : '';
    },
    /** A Date (or ISO string) → its Dhaka date YYYY-MM-DD. */
    isoDay(...args: unknown[]) {
      const [value] = plain(args);
      if (!value) return '';
      const d = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(d.getTime()) ? '' : dhakaDateOf(d);
    },
    /** {{add i 1}}: row numbers counted from one. */
    add(...args: unknown[]) {
      return plain(args).reduce<number>((sum, v) => sum + Number(v), 0);
    },
    concat(...args: unknown[]) {
      return plain(args).map(String).join('');
    },
    eq(...args: unknown[]) {
      const [a, b] = plain(args);
      return a === b;
    },
  };
}

export function configureViews(app: express.Express, viewsDir: string): void {
  const hbs = create({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(viewsDir, 'layouts'),
    partialsDir: path.join(viewsDir, 'partials'),
    helpers: viewHelpers(),
  });
  app.engine('.hbs', hbs.engine);
  app.set('view engine', '.hbs');
  // Compiled templates are kept (Express enables this only under NODE_ENV=production; recompiling on every
  // page cost ~100 ms per request). Templates change with a deploy, which restarts the app.
  app.enable('view cache');
  app.set('views', viewsDir);
}
