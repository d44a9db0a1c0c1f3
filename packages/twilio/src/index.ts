export { twilio, type TwilioConnect, type TwilioOptions, type TwilioProvider } from './twilio'
export { MAX_TWILIO_LENGTH, twilioLength } from './rules'
