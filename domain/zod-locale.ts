/**
 * zod's own Chinese messages (数值过小、无效输入 …), set once for the process: every module that
 * declares request schemas imports this first, so wherever a body is parsed for a person (the API,
 * the worker's activities) zod speaks Chinese. The field's label is put before the message by
 * api/schemas.ts (labelledIssues).
 */
import { z } from 'zod';

z.config(z.locales.zhCN());
