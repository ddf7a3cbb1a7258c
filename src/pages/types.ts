/*
 * The page model: what opsfeed reads from a web page someone saved. Imports nothing, so
 * every layer may use it.
 */

/** What a web page says about itself, as plain text (escape it for Slack). */
export interface PageMetadata {
  /** `og:title`, else `twitter:title`, else `<title>`; null when the page names none */
  title: string | null;
  /** `og:description`, else `twitter:description`, else `<meta name="description">` */
  description: string | null;
  /** `<link rel="canonical">` (else `og:url`), absolute; null when absent or unusable */
  canonicalUrl: string | null;
  /** `og:site_name` */
  siteName: string | null;
}

/** A page fetched for its title and description, or why it could not be read. */
export type FetchedPage =
  | {
      status: "read";
      /** where the page really is, after redirects */
      url: string;
      metadata: PageMetadata;
    }
  | {
      status: "unreadable";
      /** a `fetch.*` code (refused address, HTTP status, time-out…) or `page.not-html` */
      code: string;
      params: Record<string, string | number>;
    };
