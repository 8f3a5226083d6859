"""Word lists of the demo-data generator (all invented; no real people or companies intended)."""

FIRST_NAMES = [
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Sophia", "Mason", "Mia", "Ethan", "Amelia", "Leon",
    "Charlotte", "James", "Harper", "Ben", "Ella", "Finn", "Grace", "Jonas", "Hannah", "Paul", "Julia", "Max",
    "Lena", "Tom", "Sara", "David", "Laura", "Daniel", "Chloe", "Hugo", "Alice", "Louis", "Ines", "Jan",
    "Sanne", "Daan", "Eva", "Lars", "Freya", "Oscar", "Nora", "Samuel", "Zoe", "Aaron", "Maya", "Felix",
    "Priya", "Arjun", "Mei", "Kenji", "Fatima", "Omar", "Aisha", "Carlos", "Lucia", "Mateo", "Elena", "Ivan",
    "Anna", "Peter", "Claire", "Henry", "Ruby", "Jack", "Isla", "Oliver", "Emily", "George", "Lily", "Marc",
]
LAST_NAMES = [
    "Smith", "Johnson", "Brown", "Miller", "Davis", "Garcia", "Wilson", "Taylor", "Clark", "Walker", "Young",
    "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts",
    "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy",
    "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward",
    "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Dubois", "Martin",
    "Bernard", "Petit", "Durand", "Leroy", "de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit",
    "Andersson", "Johansson", "Nilsson", "O'Brien", "Byrne", "Fernandez", "Lopez", "Patel", "Singh", "Chen",
    "Wang", "Tanaka", "Kim", "Nguyen", "Rossi", "Costa", "Novak",
]
COMPANY_WORDS_A = [
    "Acme", "Blue", "Bright", "Cedar", "Clear", "Cloud", "Copper", "Crest", "Delta", "Echo", "Ember", "Falcon",
    "Fern", "Flux", "Golden", "Granite", "Harbor", "Helix", "Horizon", "Iron", "Juniper", "Keystone", "Lumen",
    "Maple", "Meridian", "Nimbus", "Nova", "Oak", "Onyx", "Orbit", "Pine", "Pioneer", "Polar", "Prism", "Quartz",
    "Quill", "Radiant", "Redwood", "River", "Sage", "Sierra", "Silver", "Solar", "Spruce", "Stellar", "Summit",
    "Swift", "Terra", "Tidal", "True", "Umber", "Vector", "Velvet", "Vertex", "Willow", "Zenith", "Atlas",
    "Beacon", "Cobalt", "Aurora",
]
COMPANY_WORDS_B = [
    "Analytics", "Labs", "Systems", "Software", "Logistics", "Health", "Robotics", "Foods", "Energy", "Media",
    "Finance", "Capital", "Networks", "Works", "Dynamics", "Solutions", "Retail", "Studios", "Partners",
    "Security", "Cloud", "Data", "Bio", "Mobility", "Commerce", "Learning", "Insurance", "Travel", "Games",
    "Materials", "Devices", "Apparel", "Ventures", "Consulting", "Manufacturing", "Pharma", "Telecom", "Legal",
    "Marine", "Farms",
]
TLDS = ["com", "io", "co", "net", "ai", "de", "fr", "nl", "co.uk", "ca"]
INDUSTRIES = [
    "Software", "Financial Services", "Healthcare", "Retail", "Manufacturing", "Media", "Education",
    "Logistics", "Professional Services", "Telecommunications",
]
TITLES = [
    "Head of Revenue Operations", "RevOps Manager", "VP Sales", "Sales Operations Analyst", "CFO",
    "Director of Marketing", "Marketing Operations Manager", "Data Analyst", "CEO", "COO",
    "Head of Growth", "Customer Success Lead", "Business Intelligence Lead", "CRO",
]
FREE_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com"]
COMPANY_SUFFIXES = [
    "Group", "Global", "Europe", "North", "Digital", "Direct", "One", "Plus", "Hub", "Collective", "Union",
    "Works", "Point", "Bridge", "Line", "Craft", "Forge", "Gate", "Path", "Stack",
]
# Country: weight, currency (lower-case Stripe code), phone prefix, preferred top-level domain.
COUNTRIES = ["US", "CA", "GB", "DE", "FR", "NL", "ES", "IE", "IT", "BE", "AT"]
COUNTRY_WEIGHTS = [0.40, 0.06, 0.13, 0.11, 0.07, 0.07, 0.04, 0.04, 0.03, 0.03, 0.02]
COUNTRY_CURRENCY = ["usd", "usd", "gbp", "eur", "eur", "eur", "eur", "eur", "eur", "eur", "eur"]
COUNTRY_PHONE = ["+1", "+1", "+44", "+49", "+33", "+31", "+34", "+353", "+39", "+32", "+43"]
COUNTRY_TLD = ["com", "ca", "co.uk", "de", "fr", "nl", "es", "ie", "it", "be", "at"]
CURRENCIES = ["usd", "eur", "gbp"]

VENDOR_DOMAIN = "northbeam-revops.io"
REFERRERS = ["g2.com", "capterra.com", "medium.com", "reddit.com", "news.ycombinator.com", "revopscoop.com",
             "producthunt.com", "saasweekly.net"]
PARTNERS = ["cedarconsulting", "revopsguild", "stackpartners", "northstar-advisory"]
EMAIL_CAMPAIGNS = ["monthly newsletter", "product update", "nurture sequence", "customer webinar invite"]
SEARCH_TERMS = ["revops dashboard", "pipeline analytics", "saas metrics tool", "arr reporting", "crm reporting",
                "customer journey analytics", "marketing attribution software", "churn analytics"]
LANDING_PAGES = ["/", "/pricing", "/demo", "/product", "/product/attribution", "/product/forecasting",
                 "/customers", "/blog/revops-metrics", "/blog/pipeline-coverage", "/blog/net-revenue-retention",
                 "/resources/revops-playbook", "/webinars", "/integrations/salesforce", "/lp/revops-analytics",
                 "/lp/competitor-comparison", "/partners"]
FORMS = ["demo_request", "free_trial", "ebook_download", "webinar_registration", "contact_us"]
FORM_PAGES = ["/demo", "/free-trial", "/resources/revops-playbook", "/webinars/register", "/contact"]

TASK_SUBJECTS_LEAD = ["Intro call", "Follow up", "Qualification call", "Sent case study", "Left voicemail",
                      "Booked meeting"]
TASK_SUBJECTS_OPP = ["Send proposal", "Pricing follow up", "Security questionnaire", "Mutual action plan",
                     "Legal review", "Check in with champion", "Renewal check-in"]
TICKET_SUBJECTS = ["Cannot log in", "SSO setup", "Invoice copy", "Salesforce sync failing", "Dashboard is slow",
                   "Add more seats", "Data export question", "API rate limit", "Wrong MRR figure", "Billing address",
                   "Permission settings", "Integration with HubSpot", "Report scheduling", "Bug in forecast view"]
RATING_COMMENTS_GOOD = ["Quick help", "Thanks, solved", "Great support", "Very clear answer"]
RATING_COMMENTS_BAD = ["Took too long", "Still not working", "Nobody called back", "Had to ask three times"]
