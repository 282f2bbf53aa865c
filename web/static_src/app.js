// GOV.UK Frontend components (error summary focus, character counts, details) on every page.
import { initAll } from './govuk-frontend.min.js'

initAll()
