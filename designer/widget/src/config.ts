// The widget's settings, from the data- attributes of its <script> tag.

export interface Config {
  journey: string;
  api: string;
  title: string;
  customer: { id: string; name?: string; email?: string };
  /** The host site's signed identity token for its signed-in customer: sent instead of `customer`. */
  identityToken?: string;
  openOnLoad: boolean;
}

export function readConfig(script: HTMLScriptElement | null): Config | null {
  const data = script?.dataset ?? {};
  const journey = data.journey;
  if (!journey) {
    console.error('[baton widget] data-journey is missing on the <script> tag; the widget is not shown.');
    return null;
  }
  const scriptOrigin = script?.src ? new URL(script.src, location.href).origin : location.origin;
  const api = (data.api ?? scriptOrigin).replace(/\/+$/, '');
  const storedCustomer = `baton-widget:customer:${api}`;
  let customerId = data.customerId;
  if (!customerId) {
    // An anonymous visitor gets a stable id in this browser, so their conversations belong together.
    customerId = localStorage.getItem(storedCustomer) ?? `visitor-${crypto.randomUUID()}`;
    localStorage.setItem(storedCustomer, customerId);
  }
  return {
    journey,
    api,
    title: data.title ?? 'Support',
    customer: {
      id: customerId,
      ...(data.customerName && { name: data.customerName }),
      ...(data.customerEmail && { email: data.customerEmail }),
    },
    ...(data.identityToken && { identityToken: data.identityToken }),
    openOnLoad: data.open === 'true',
  };
}
