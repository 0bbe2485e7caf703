/**
 * Hand-written messages, not from any data set and never used in training: how customers complain or
 * ask for a person outside Bitext's phrasing, and ordinary requests that must not escalate. The
 * frustration tests and scripts/train-frustration.ts report on them.
 */
export const complaintPhrasings: readonly string[] = [
  'this is the third time I ask, get me a human',
  'your app crashed again and I lost my whole basket, worst service ever',
  'I have been waiting 3 weeks for my refund, this is a disgrace',
  'absolutely furious, the parcel never arrived and nobody answers',
  'can I please talk to somebody who actually knows what they are doing',
  'put me through to an operator now',
  'I want a real person, not a bot',
  'WHY IS MY ACCOUNT STILL LOCKED',
  'you charged me twice and nobody cares!!!',
  'this is a joke, I have tried everything you suggested',
  'I am really not happy with how I was treated',
  'your support is useless and I am done with you',
  'stop sending me links and let a human look at this',
  'honestly the worst experience I have had with any company',
  'nothing works and I am sick of it',
  'the driver threw my package over the fence and broke it, I am livid',
  'I demand to speak to a manager',
  'is there anyone real there?',
  'this damn thing keeps logging me out',
  'terrible, just terrible. cancel everything',
];

export const ordinaryPhrasings: readonly string[] = [
  'I cannot log in to my account',
  "I'm not unhappy with the product, just want to know the delivery date",
  'how do I change my shipping address',
  'what is the status of my order',
  'can you send me a copy of my last invoice',
  'I forgot my password',
  'which payment methods do you accept',
  'thanks, that worked!',
  'is there a fee if I cancel before the end of the month',
  'my card was not accepted at checkout, what should I do',
  'hello, I would like to open an account',
  'where can I see my refund',
  'I did not receive the confirmation email',
  'can I add an item to my order',
  'great, thank you so much for the help',
];
