import { defineForm, labelField } from '../form';

export const startForm = defineForm({ fields: [labelField], starter: {} });
