import { triage } from '../src/triage';
import { withoutReferenceNumbers } from '../src/triage/train';

describe('the trained triage model without an order number at hand', () => {
  it.each([
    ['where is my order?', 'track_order'],
    ['Where is my order', 'track_order'],
    ['where is my order 12345?', 'track_order'],
    ['track my order', 'track_order'],
    ['when will my order arrive?', 'delivery_period'],
    ['I want to cancel my order', 'cancel_order'],
  ])('"%s" is %s', (text, intent) => {
    expect(triage(text).intent).toBe(intent);
  });

  it('learns each order or invoice utterance also as said without its number (training rows only)', () => {
    const rows = [
      { text: 'where to track order 732201349959', intent: 'track_order', offensive: false, entityType: 'order_id' },
      { text: 'I need invoice #00123842', intent: 'get_invoice', offensive: false, entityType: 'invoice_id' },
      { text: 'I want a refund of $20', intent: 'get_refund', offensive: false, entityType: 'refund_amount' },
    ];
    expect(withoutReferenceNumbers(rows).map((row) => row.text)).toEqual([
      'where to track order 732201349959',
      'I need invoice #00123842',
      'I want a refund of $20',
      'where to track my order',
      'I need my invoice',
    ]);
  });
});

describe('triage of a script the model cannot read', () => {
  it.each([
    ['Japanese', '注文はどこですか？まだ届いていません'],
    ['Cyrillic', 'Где мой заказ? Он до сих пор не пришёл'],
  ])('%s: no confidence, escalates with the reason', (script, text) => {
    const result = triage(text);
    expect(result.confidence).toBe(0);
    expect(result.escalate).toBe(true);
    expect(result.reasons).toContain(`not in a supported language (${script} script)`);
  });

  it('English keeps its confidence', () => {
    expect(triage('where is my order?').reasons).toEqual([]);
  });
});
