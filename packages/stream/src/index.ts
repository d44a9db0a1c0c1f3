export { stream, type StreamCallConnect, type StreamConnect, type StreamOptions, type StreamProvider, type StreamTypes } from './stream'
