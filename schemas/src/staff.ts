/** What a signed-in person (or an API key) may do; admins hold every role. */
export const staffRoles = ['admin', 'designer', 'agent'] as const;
export type StaffRole = (typeof staffRoles)[number];
