// What a document page may load: data: URLs and the renderer's own assets (stylesheets and fonts registered
// with registerAsset), answered from memory. Every other request is aborted.
import type { HTTPRequest } from './browser.js';
import { noop } from './deadline.js';
import type { PdfAsset, PdfCounters } from './types.js';

/** Where the renderer's own assets live. `.invalid` can never resolve, and nothing under it reaches a network. */
export const PDF_ASSET_ORIGIN = 'http://pdf-assets.invalid';

const pathOf = (path: string) => (path.startsWith('/') ? path : `/${path}`);

export class DocumentAssets {
  private readonly assets = new Map<string, PdfAsset>();

  constructor(private readonly counters: PdfCounters) {}

  /** Serves `body` to document pages at url(path). Registering the same path again replaces it. */
  register(path: string, asset: PdfAsset): void {
    this.assets.set(pathOf(path), asset);
  }

  has(path: string): boolean {
    return this.assets.has(pathOf(path));
  }

  /** The URL a document uses to load a registered asset. */
  url(path: string): string {
    return `${PDF_ASSET_ORIGIN}${pathOf(path)}`;
  }

  /** Only data: URLs and the renderer's own assets are served; everything else is aborted. */
  answer(req: HTTPRequest): void {
    if (req.isInterceptResolutionHandled()) return;
    const url = req.url();
    if (url.startsWith('data:')) {
      req.continue().catch(noop);
      return;
    }
    if (url.startsWith(`${PDF_ASSET_ORIGIN}/`) && req.method() === 'GET') {
      const asset = this.assets.get(new URL(url).pathname);
      if (asset) {
        this.counters.assetsServed++;
        req
          .respond({
            status: 200,
            contentType: asset.contentType,
            headers: { 'cache-control': 'public, max-age=31536000, immutable' },
            body: asset.body,
          })
          .catch(noop);
        return;
      }
    }
    this.counters.blockedRequests++;
    req.abort('blockedbyclient').catch(noop);
  }
}
