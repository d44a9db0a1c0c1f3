export { stream, type StreamConnect, type StreamOptions, type StreamProvider } from './stream'
