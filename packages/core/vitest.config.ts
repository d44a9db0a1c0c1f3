import { calltokenProject } from '../../vitest.shared'

export default calltokenProject('core')
