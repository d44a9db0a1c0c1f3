export { twilio, type TwilioConnect, type TwilioOptions, type TwilioProvider, type TwilioRoomConnect, type TwilioTypes } from './twilio'
export { MAX_TWILIO_LENGTH, twilioLength } from './rules'
