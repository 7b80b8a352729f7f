// Every workflow the worker runs; the worker bundles this one file.
export { reminderInboxWorkflow } from './inbox.js';
export { legalReviewWorkflow } from './legal-review.js';
export { demoCampaignWorkflow } from './demo-campaign.js';
export { demoSiteWorkflow } from './demo-site.js';
export { agencyDutiesWorkflow } from './agency-duties.js';
export { calendarNoticeWorkflow } from './calendar-notice.js';
