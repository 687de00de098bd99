"""Original demo content for `manage.py seed_demo`: plain data, no logic.

Everything here is invented for the demo (people, titles and text); it is written
to read like policy analysis so that lists, related suggestions and search behave
as they would on a real archive. Rows are keyed by slug, so editing text here and
re-seeding an existing database changes nothing: seeding only fills gaps (seed.py).

Publications say how many days before the seed they were published
(`days_ago`); `status` defaults to published, and a negative `days_ago`
schedules one into the future. Body text is built by seed.py from `sections`
(heading, paragraphs), `quote`, `points` and an optional `table`.
"""

REGIONS = (
    {
        "slug": "northeast-asia",
        "name": "Northeast Asia",
        "parent": None,
        "description": (
            "The Korean Peninsula, Japan, China and the waters between them, where "
            "alliances, trade and deterrence meet."
        ),
    },
    {
        "slug": "korean-peninsula",
        "name": "Korean Peninsula",
        "parent": "northeast-asia",
        "description": (
            "Security, diplomacy and society on both sides of the demilitarized zone, "
            "and the alliances that shape them."
        ),
    },
    {
        "slug": "japan",
        "name": "Japan",
        "parent": "northeast-asia",
        "description": (
            "Japan's defense policy, economic security and partnerships across the Indo-Pacific."
        ),
    },
    {
        "slug": "china",
        "name": "China",
        "parent": "northeast-asia",
        "description": (
            "China's economy, foreign policy and military modernization, and how its "
            "neighbors respond."
        ),
    },
    {
        "slug": "europe",
        "name": "Europe",
        "parent": None,
        "description": (
            "European security and economic policy, and Europe's growing stake in Asian stability."
        ),
    },
    {
        "slug": "ukraine-and-russia",
        "name": "Ukraine and Russia",
        "parent": "europe",
        "description": (
            "The war, sanctions, energy and reconstruction, and what they teach "
            "governments far from the front line."
        ),
    },
    {
        "slug": "south-asia",
        "name": "South Asia",
        "parent": None,
        "description": (
            "India and its neighbors: strategic autonomy, technology, climate stress "
            "and democratic politics."
        ),
    },
    {
        "slug": "southeast-asia",
        "name": "Southeast Asia",
        "parent": None,
        "description": (
            "ASEAN and its members, the South China Sea, supply chains and the energy transition."
        ),
    },
)

PUBLICATION_TYPES = (
    {"slug": "issue-brief", "name": "Issue Brief", "plural_label": "Issue Briefs"},
    {"slug": "policy-brief", "name": "Policy Brief", "plural_label": "Policy Briefs"},
    {"slug": "commentary", "name": "Commentary", "plural_label": "Commentaries"},
    {
        "slug": "research-paper",
        "name": "Research Paper",
        "plural_label": "Research Papers",
        "kind": "ScholarlyArticle",
    },
    {"slug": "report", "name": "Report", "plural_label": "Reports", "kind": "Report"},
)

AUTHORS = (
    {
        "slug": "seo-yeon-kwak",
        "name": "Seo-yeon Kwak",
        "sort_name": "Kwak, Seo-yeon",
        "role": "Director, Korea Program",
        "bio": (
            "Seo-yeon Kwak leads the institute's Korea Program, where she works on "
            "alliance management, inter-Korean relations and crisis diplomacy. Before "
            "joining the institute she spent a decade advising parliamentary committees "
            "on foreign affairs and unification policy."
        ),
    },
    {
        "slug": "jae-hoon-seong",
        "name": "Jae-hoon Seong",
        "sort_name": "Seong, Jae-hoon",
        "role": "Research Fellow, Nuclear Policy",
        "bio": (
            "Jae-hoon Seong studies missile programs, nuclear doctrine and arms control "
            "in Northeast Asia. His current project maps the crisis communication "
            "channels that exist on the Korean Peninsula and the ones that are missing."
        ),
    },
    {
        "slug": "mariko-hayashida",
        "name": "Mariko Hayashida",
        "sort_name": "Hayashida, Mariko",
        "role": "Senior Fellow, Japan",
        "bio": (
            "Mariko Hayashida writes on Japanese defense policy, economic security and "
            "Japan's partnerships in Southeast Asia. She previously taught international "
            "relations and has led track-two dialogues between Tokyo, Seoul and Canberra."
        ),
    },
    {
        "slug": "lin-qiaowen",
        "name": "Lin Qiaowen",
        "sort_name": "Lin, Qiaowen",
        "role": "Research Fellow, China",
        "bio": (
            "Lin Qiaowen researches China's economic statecraft, local government "
            "finance and maritime policy. Her work draws on provincial budget documents "
            "and trade data to explain how Beijing's decisions travel through the region."
        ),
    },
    {
        "slug": "ingrid-valkonen",
        "name": "Ingrid Valkonen",
        "sort_name": "Valkonen, Ingrid",
        "role": "Senior Fellow, European Security",
        "bio": (
            "Ingrid Valkonen covers NATO, European defense industry and Europe's "
            "relations with Indo-Pacific partners. She joined the institute after "
            "several years in a Nordic defense ministry's policy planning unit."
        ),
    },
    {
        "slug": "oksana-hrytsenko",
        "name": "Oksana Hrytsenko",
        "sort_name": "Hrytsenko, Oksana",
        "role": "Non-Resident Fellow",
        "bio": (
            "Oksana Hrytsenko is an economist who follows sanctions, reconstruction "
            "finance and food security in the Black Sea region. She advises donors on "
            "how to fund recovery projects while fighting continues."
        ),
    },
    {
        "slug": "arjun-raghunathan",
        "name": "Arjun Raghunathan",
        "sort_name": "Raghunathan, Arjun",
        "role": "Research Fellow, South Asia",
        "bio": (
            "Arjun Raghunathan works on India's foreign and technology policy and on "
            "elections across South Asia. He has written on the Quad, industrial policy "
            "and the politics of climate adaptation."
        ),
    },
    {
        "slug": "rafael-dimaculangan",
        "name": "Rafael Dimaculangan",
        "sort_name": "Dimaculangan, Rafael",
        "role": "Senior Fellow, Maritime Security",
        "bio": (
            "Rafael Dimaculangan is a former naval officer who now studies coast guards, "
            "law enforcement at sea and the South China Sea disputes. He leads the "
            "institute's Southeast Asia maritime working group."
        ),
    },
    {
        "slug": "amara-whitfield",
        "name": "Amara Whitfield",
        "sort_name": "Whitfield, Amara",
        "role": "Senior Fellow, Economic Security",
        "bio": (
            "Amara Whitfield studies export controls, sanctions and supply-chain "
            "policy. She spent eight years in trade compliance before turning to "
            "research, and still reads customs data for pleasure."
        ),
    },
    {
        "slug": "tomasz-wielgosz",
        "name": "Tomasz Wielgosz",
        "sort_name": "Wielgosz, Tomasz",
        "role": "Non-Resident Fellow, Energy",
        "bio": (
            "Tomasz Wielgosz is an energy engineer turned policy analyst. He writes on "
            "gas markets, grid resilience and the financing of the energy transition in "
            "Europe and Asia."
        ),
    },
    {
        "slug": "helen-achterberg",
        "name": "Helen Achterberg",
        "sort_name": "Achterberg, Helen",
        "role": "Director of Research",
        "bio": (
            "Helen Achterberg oversees the institute's research program and its review "
            "process. Her own work deals with governance, climate risk and democratic "
            "resilience in Asia."
        ),
    },
    {
        "slug": "daniel-okafor-reyes",
        "name": "Daniel Okafor-Reyes",
        "sort_name": "Okafor-Reyes, Daniel",
        "role": "Non-Resident Fellow, Technology Policy",
        "bio": (
            "Daniel Okafor-Reyes writes on semiconductors, artificial intelligence and "
            "digital infrastructure. He previously worked on network security for a "
            "telecommunications operator."
        ),
    },
)

PUBLICATIONS = (
    {
        "slug": "reading-pyongyangs-test-schedule-as-a-procurement-plan",
        "title": "Reading Pyongyang's Test Schedule as a Procurement Plan",
        "type": "commentary",
        "authors": ("jae-hoon-seong",),
        "regions": ("korean-peninsula",),
        "tags": (
            "missiles",
            "nuclear weapons",
            "deterrence",
            "sanctions",
            "trilateral cooperation",
        ),
        "days_ago": 12,
        "lead": (
            "Each new launch from North Korea is usually read as a message to Washington. "
            "A better reading treats the launches as milestones in a long procurement "
            "plan, announced in advance and now being delivered on schedule. That shift "
            "in perspective changes what deterrence and diplomacy can realistically achieve."
        ),
        "sections": (
            (
                "A plan, not a tantrum",
                (
                    "Commentators tend to count launches and look for a political trigger "
                    "behind each cluster. The record suggests otherwise: the systems being "
                    "tested line up closely with the weapons list North Korea published "
                    "years ago, and the pace has held through periods of both tension and calm.",
                    "Seen this way, a test is less a bid for attention than a box being "
                    "ticked. Engineers need flight data, crews need practice, and the "
                    "leadership needs to show its own military that the plan is on track.",
                ),
            ),
            (
                "What follows for policy",
                (
                    "If the program runs to its own calendar, offers of talks will not "
                    "interrupt it, and sanctions will slow rather than stop it. Allies "
                    "should plan for a North Korea that arrives at any future negotiation "
                    "with the plan largely complete, and invest now in the missile defense, "
                    "early warning and crisis channels that such a neighbor requires.",
                ),
            ),
        ),
        "quote": (
            "The launches are not an invitation to talk; they are progress reports on a "
            "plan that was published in advance."
        ),
        "points": (
            "Which systems from the announced list have not yet been flight-tested.",
            "Whether launch crews begin exercising from new, dispersed sites.",
            "How quickly test debris and telemetry analysis is shared among allies.",
        ),
    },
    {
        "slug": "making-extended-deterrence-credible-without-new-warheads",
        "title": "Making Extended Deterrence Credible Without New Warheads",
        "type": "policy-brief",
        "authors": ("seo-yeon-kwak", "jae-hoon-seong"),
        "regions": ("korean-peninsula", "northeast-asia"),
        "tags": (
            "extended deterrence",
            "US-ROK alliance",
            "nuclear weapons",
            "alliances",
            "deterrence",
        ),
        "days_ago": 60,
        "featured_position": 3,
        "lead": (
            "South Koreans increasingly doubt that the United States would risk its own "
            "cities to defend Seoul. New weapons are not the only answer to that doubt. "
            "This brief sets out how planning, exercises and shared decision-making can "
            "do more for credibility than deployments."
        ),
        "sections": (
            (
                "Background",
                (
                    "Extended deterrence rests on a promise that is hard to prove in "
                    "peacetime. For decades that promise was taken on trust; today, with "
                    "North Korea able to threaten the American homeland, the trust is "
                    "under strain and public support for an independent deterrent has grown.",
                ),
            ),
            (
                "Credibility is built in peacetime",
                (
                    "Allies reassure each other less by what they own than by what they "
                    "visibly plan to do together. Joint nuclear planning, regular tabletop "
                    "exercises at ministerial level and clear consultation procedures give "
                    "Seoul a seat at the table without adding a single warhead.",
                    "These steps also have a cost advantage: they can be sustained through "
                    "changes of government in both capitals and do not invite the arms "
                    "racing that new deployments might provoke.",
                ),
            ),
        ),
        "quote": (
            "Reassurance that depends on one president's words is fragile; reassurance "
            "built into routines outlasts elections."
        ),
        "points": (
            "Hold an annual nuclear planning exercise at ministerial level, with a public summary.",
            "Give Seoul standing liaison officers in the relevant US planning staffs.",
            "Publish a joint statement of consultation procedures for a nuclear crisis.",
        ),
    },
    {
        "slug": "crisis-hotlines-that-actually-ring",
        "title": "Crisis Hotlines That Actually Ring: Keeping Incidents Small in Korea",
        "type": "report",
        "authors": ("seo-yeon-kwak", "jae-hoon-seong", "helen-achterberg"),
        "regions": ("korean-peninsula",),
        "tags": ("deterrence", "arms control", "diplomacy", "missiles"),
        "days_ago": 140,
        "lead": (
            "Dense military deployments, short missile flight times and broken "
            "communication lines make an accidental clash on the Korean Peninsula more "
            "likely than at any time in a generation. This report surveys the channels "
            "that could contain an incident and proposes a modest, realistic package to "
            "restore them."
        ),
        "sections": (
            (
                "Why incidents escalate",
                (
                    "Most dangerous moments on the peninsula have begun with something "
                    "small: a boat crossing a disputed line, a drone over the border, a "
                    "misread radar track. What turns an incident into a crisis is usually "
                    "the absence of a way to ask the other side what just happened.",
                    "Several of the channels built in earlier periods of détente have "
                    "been cut or simply go unanswered. Military commanders on both sides "
                    "now work with less information than their predecessors did.",
                ),
            ),
            (
                "A realistic package",
                (
                    "Grand agreements are out of reach. Smaller steps are not: restoring "
                    "a working line between military commands, agreeing on a script for "
                    "unplanned encounters at sea, and giving advance notice of large "
                    "exercises would each reduce risk without requiring trust.",
                ),
            ),
        ),
        "quote": (
            "A hotline is only a safeguard if someone picks up; otherwise it is a "
            "monument to a better decade."
        ),
        "table": {
            "caption": "Crisis channels on the peninsula: status and the smallest useful fix",
            "columns": ("Channel", "Current status", "Smallest useful fix"),
            "rows": (
                ("Military command line", "Unanswered", "Daily test call, resumed unilaterally"),
                ("Naval radio at sea", "Intermittent", "Agreed script for unplanned encounters"),
                ("Liaison office", "Closed", "Reopen for humanitarian matters first"),
                ("Exercise notification", "None", "Advance notice of large exercises"),
            ),
        },
        "points": (
            "Test the military command line daily, even without an answer.",
            "Propose a short code of conduct for unplanned encounters at sea.",
            "Notify large exercises in advance through a third party if necessary.",
            "Fund a standing track-two group on incident management.",
        ),
    },
    {
        "slug": "seouls-nuclear-debate-and-the-limits-of-reassurance",
        "title": "Seoul's Nuclear Debate and the Limits of Reassurance",
        "type": "issue-brief",
        "authors": ("seo-yeon-kwak",),
        "regions": ("korean-peninsula",),
        "tags": (
            "nuclear weapons",
            "public opinion",
            "US-ROK alliance",
            "extended deterrence",
            "nonproliferation",
        ),
        "days_ago": 250,
        "lead": (
            "Support for a South Korean nuclear weapon has moved from the fringe into "
            "mainstream debate. Polls show majorities in favor, but the support is softer "
            "than it looks. Understanding why it exists matters more than dismissing it."
        ),
        "sections": (
            (
                "Background",
                (
                    "The debate is driven less by North Korea's arsenal than by doubts about "
                    "American staying power. Respondents who favor a bomb often say they "
                    "would change their minds if the alliance offered a stronger say in "
                    "nuclear planning.",
                ),
            ),
            (
                "The costs nobody polls",
                (
                    "Few surveys ask about the price: sanctions, a rupture with the "
                    "nonproliferation regime, damage to the civil nuclear industry and a "
                    "likely reaction from Japan. When those costs are mentioned, support "
                    "falls sharply.",
                    "Policy makers in Seoul and Washington should treat the debate as a "
                    "signal about the alliance rather than a plan, and answer it with "
                    "substance rather than slogans.",
                ),
            ),
        ),
        "quote": "The poll numbers measure anxiety about the alliance more than appetite for a bomb.",
        "points": (
            "Address the anxiety with institutional commitments, not statements.",
            "Brief the public candidly on what a nuclear program would cost.",
            "Keep the civil nuclear partnership separate from the weapons debate.",
        ),
    },
    {
        "slug": "sanctions-fatigue-why-enforcement-on-north-korea-is-fraying",
        "title": "Sanctions Fatigue: Why Enforcement on North Korea Is Fraying",
        "type": "issue-brief",
        "authors": ("jae-hoon-seong", "amara-whitfield"),
        "regions": ("korean-peninsula", "china"),
        "tags": ("sanctions", "sanctions evasion", "maritime security", "nonproliferation"),
        "days_ago": 330,
        "lead": (
            "The sanctions on North Korea remain on the books, but enforcing them has "
            "become an afterthought for many governments. Monitoring has weakened and "
            "evasion networks have adapted. This brief explains what has changed and "
            "what a leaner enforcement effort could still achieve."
        ),
        "sections": (
            (
                "Background",
                (
                    "Sanctions worked best when the major powers agreed on them and "
                    "coordinated their enforcement. That consensus has eroded, and the "
                    "international panel that once documented violations no longer exists.",
                ),
            ),
            (
                "Where enforcement still works",
                (
                    "National authorities can still make a difference where they control "
                    "the chokepoints: insurance, ship registries, banks and port "
                    "inspections. These are unglamorous tools, but evasion networks depend "
                    "on them.",
                    "A coalition of willing governments sharing information could preserve "
                    "much of the old monitoring capacity at modest cost.",
                ),
            ),
        ),
        "quote": "Sanctions rarely fail in one dramatic moment; they erode one unchecked cargo at a time.",
        "points": (
            "Create an informal group of governments to replace lost monitoring.",
            "Focus inspections on ship-to-ship transfer hot spots.",
            "Publish enforcement actions to deter intermediaries.",
        ),
    },
    {
        "slug": "ship-to-ship-transfers-and-the-coast-guard-gap",
        "title": "Ship-to-Ship Transfers and the Coast Guard Gap",
        "type": "research-paper",
        "authors": ("rafael-dimaculangan", "jae-hoon-seong"),
        "regions": ("korean-peninsula", "southeast-asia"),
        "tags": ("sanctions evasion", "maritime security", "coast guards", "sanctions"),
        "days_ago": 480,
        "lead": (
            "Illicit fuel and coal move in and out of North Korea largely by transfers "
            "between ships at sea. This paper examines how such transfers are organized "
            "and why the coast guards best placed to stop them often lack the mandate, "
            "ships or data to do so."
        ),
        "sections": (
            (
                "How a transfer works",
                (
                    "A typical operation involves a tanker that switches off its "
                    "transponder, meets a smaller vessel in international waters and "
                    "reappears days later under a different name or flag. Each step "
                    "exploits a gap between national jurisdictions.",
                    "The networks behind these voyages are small and adaptable. When one "
                    "route is watched, activity moves to another within weeks.",
                ),
            ),
            (
                "The capacity problem",
                (
                    "Coast guards in the region differ greatly in size and legal powers. "
                    "Several can observe suspicious transfers but cannot board ships outside "
                    "their territorial waters, and few share satellite data with neighbors "
                    "in real time.",
                ),
            ),
        ),
        "quote": (
            "The evasion network is regional; the response is still organized one "
            "coast guard at a time."
        ),
        "points": (
            "Transfers cluster in a handful of areas, which makes targeted patrols efficient.",
            "Legal authority, not detection, is the main constraint for smaller coast guards.",
            "Shared commercial satellite data would close much of the observation gap.",
        ),
    },
    {
        "slug": "humanitarian-channels-to-north-korea-after-the-border-reopening",
        "title": "Humanitarian Channels to North Korea After the Border Reopening",
        "type": "commentary",
        "authors": ("seo-yeon-kwak",),
        "regions": ("korean-peninsula",),
        "tags": ("humanitarian aid", "sanctions", "human rights", "food security"),
        "days_ago": 700,
        "lead": (
            "North Korea's borders are slowly reopening after years of near-total "
            "closure. Aid agencies that left are eager to return, but the conditions "
            "they face have changed. Donors should use the reopening to set better "
            "terms, not simply to restart old programs."
        ),
        "sections": (
            (
                "",
                (
                    "During the closure, international staff left the country and "
                    "monitoring of aid deliveries stopped entirely. Reports of food "
                    "shortages in rural provinces could not be verified.",
                    "Returning agencies will need clear exemptions from sanctions for "
                    "their equipment and a reliable banking channel, both of which were "
                    "difficult to obtain even before the closure.",
                ),
            ),
            (
                "Better terms, not old habits",
                (
                    "The reopening is a rare moment of leverage for donors. Access for "
                    "monitors, the presence of local staff and transparent distribution "
                    "lists should be conditions of returning, agreed jointly rather than "
                    "negotiated agency by agency.",
                ),
            ),
        ),
        "quote": "Aid that cannot be monitored ends up serving the state rather than the hungry.",
        "points": (
            "Whether international staff are allowed to live in the country again.",
            "How quickly sanctions exemptions are approved for returning agencies.",
            "Whether donors coordinate their conditions or compete for access.",
        ),
    },
    {
        "slug": "trilateral-cooperation-building-it-to-last",
        "title": "Seoul, Tokyo and Washington: Building Trilateral Cooperation to Last",
        "type": "policy-brief",
        "authors": ("mariko-hayashida", "seo-yeon-kwak"),
        "regions": ("japan", "korean-peninsula", "northeast-asia"),
        "tags": (
            "trilateral cooperation",
            "alliances",
            "US-Japan alliance",
            "US-ROK alliance",
            "missiles",
        ),
        "days_ago": 200,
        "lead": (
            "Cooperation between South Korea, Japan and the United States has reached a "
            "high point. History suggests such high points do not last on their own. "
            "This brief proposes ways to anchor the partnership in institutions that can "
            "survive a change of government in any of the three capitals."
        ),
        "sections": (
            (
                "Background",
                (
                    "Past improvements in relations between Seoul and Tokyo have often "
                    "been undone by disputes over history or by domestic politics. The "
                    "current period of cooperation rests on leaders' personal commitment "
                    "more than on structures.",
                ),
            ),
            (
                "From summits to routines",
                (
                    "The most durable forms of cooperation are technical: real-time "
                    "sharing of missile warning data, joint exercises on a fixed "
                    "calendar, and working groups that meet whether or not leaders do.",
                    "A small permanent secretariat would keep that work going and make "
                    "it costly for any future government to walk away quietly.",
                ),
            ),
        ),
        "quote": "Summits create momentum; only routines create habits that survive elections.",
        "points": (
            "Set a multi-year exercise calendar agreed by all three defense ministries.",
            "Establish a small trilateral secretariat with a rotating chair.",
            "Keep history disputes in separate, dedicated channels.",
        ),
    },
    {
        "slug": "japans-counterstrike-capability-and-the-alliance",
        "title": "Japan's Counterstrike Capability and What It Changes for the Alliance",
        "type": "issue-brief",
        "authors": ("mariko-hayashida",),
        "regions": ("japan",),
        "tags": ("deterrence", "US-Japan alliance", "missiles", "defense industry"),
        "days_ago": 410,
        "lead": (
            "Japan's decision to acquire long-range strike missiles marks a departure "
            "from decades of purely defensive posture. The weapons matter less than the "
            "command arrangements they require. This brief looks at the alliance "
            "questions Tokyo and Washington now have to answer."
        ),
        "sections": (
            (
                "Background",
                (
                    "For most of the postwar era Japan relied on the United States for "
                    "offensive strike. Growing missile threats and doubts about the speed "
                    "of American support changed the calculation in Tokyo.",
                ),
            ),
            (
                "Targeting is the hard part",
                (
                    "A missile that can reach a launch site is useless without timely "
                    "intelligence on where the launcher is. Japan will depend heavily on "
                    "allied targeting data, which means the two militaries must integrate "
                    "planning far more deeply than before.",
                    "That integration raises political questions about who decides to "
                    "strike and how quickly, questions best settled before a crisis.",
                ),
            ),
        ),
        "quote": "Buying missiles is quick; agreeing on who pulls the trigger takes years.",
        "points": (
            "Agree on targeting and decision procedures before the missiles arrive.",
            "Explain the new posture openly to neighbors to limit misperception.",
            "Build domestic production capacity so stocks can be replenished.",
        ),
    },
    {
        "slug": "tokyos-economic-security-law-in-practice",
        "title": "Tokyo's Economic Security Law in Practice",
        "type": "research-paper",
        "authors": ("mariko-hayashida", "amara-whitfield"),
        "regions": ("japan",),
        "tags": ("economic security", "supply chains", "semiconductors", "investment screening"),
        "days_ago": 560,
        "lead": (
            "Japan was among the first democracies to write economic security into a "
            "single law. Its first years of operation offer lessons on subsidies for "
            "critical goods, screening of infrastructure suppliers and the protection of "
            "sensitive patents."
        ),
        "sections": (
            (
                "What the law does",
                (
                    "The law designates critical goods, from chips to antibiotics, and "
                    "offers support to firms that secure their supply. It also lets the "
                    "government review equipment used in critical infrastructure and keep "
                    "certain patents secret.",
                    "Implementation has been cautious. Ministries have chosen a narrow "
                    "list of goods and consulted industry extensively before each step.",
                ),
            ),
            (
                "Early results",
                (
                    "Subsidies have attracted new semiconductor investment, though "
                    "critics question whether the sums are sustainable. Infrastructure "
                    "reviews have so far caused little disruption, in part because "
                    "operators adjusted their purchasing in advance.",
                ),
            ),
        ),
        "quote": "Japan's approach shows that economic security can be done quietly and still change behavior.",
        "points": (
            "Narrow designation lists have kept business support for the law high.",
            "Subsidies work best when paired with long-term purchase commitments.",
            "Infrastructure screening changes supplier choices before any review takes place.",
        ),
    },
    {
        "slug": "japans-partnerships-in-southeast-asia",
        "title": "Patrol Boats, Ports and Patience: Japan's Quiet Influence in Southeast Asia",
        "type": "report",
        "authors": ("mariko-hayashida", "rafael-dimaculangan"),
        "regions": ("japan", "southeast-asia"),
        "tags": ("maritime security", "coast guards", "South China Sea", "diplomacy", "Quad"),
        "days_ago": 640,
        "lead": (
            "Japan has become one of the most trusted partners of Southeast Asian "
            "governments, largely by doing unglamorous things well. Patrol boats, port "
            "upgrades and training for coast guards have built influence without "
            "forcing partners to choose sides."
        ),
        "sections": (
            (
                "A long game",
                (
                    "Tokyo's approach combines development finance with security "
                    "assistance delivered through civilian agencies. Coast guard vessels "
                    "and training programs are easier for partners to accept than "
                    "military aid.",
                    "The results are visible in the capacity of several regional coast "
                    "guards to patrol their own waters and document incursions.",
                ),
            ),
            (
                "Limits and opportunities",
                (
                    "Japan's model is slow and depends on stable budgets. Coordinating it "
                    "with Australia, India and the United States could stretch its reach, "
                    "provided the partners resist the temptation to brand every project "
                    "as part of a rivalry with China.",
                ),
            ),
        ),
        "quote": "Southeast Asian partners value help that does not come with a demand to choose sides.",
        "points": (
            "Keep maritime assistance civilian-led where partners prefer it.",
            "Coordinate training programs with Quad partners to avoid duplication.",
            "Fund maintenance, not just the delivery of new vessels.",
        ),
    },
    {
        "slug": "nuclear-restarts-and-japans-energy-security-dilemma",
        "title": "Nuclear Restarts and Japan's Energy Security Dilemma",
        "type": "commentary",
        "authors": ("tomasz-wielgosz", "mariko-hayashida"),
        "regions": ("japan",),
        "tags": ("nuclear energy", "energy security", "LNG", "climate change", "energy transition"),
        "days_ago": 860,
        "lead": (
            "Japan imports almost all of its energy, and the price shocks of recent "
            "years have revived the case for restarting idle reactors. Public opinion "
            "has shifted, but the obstacles are now as much legal and local as political."
        ),
        "sections": (
            (
                "",
                (
                    "Liquefied gas bought on short-term contracts left Japanese utilities "
                    "exposed when prices spiked. Reactors that sit idle for safety reviews "
                    "represent capacity that could cut that exposure.",
                    "Restarts, however, require the consent of host prefectures and "
                    "survive only if courts uphold them. Each reactor is its own "
                    "negotiation.",
                ),
            ),
            (
                "Climate goals raise the stakes",
                (
                    "Without nuclear power, Japan's emissions targets depend on a rapid "
                    "build-out of renewables that grid constraints make difficult. The "
                    "energy security argument and the climate argument now point the "
                    "same way, which has not always been true.",
                ),
            ),
        ),
        "quote": "Every idle reactor is a cargo of imported gas that Japan has to buy at someone else's price.",
        "points": (
            "Court rulings on the next group of restart applications.",
            "Whether utilities sign longer-term gas contracts despite restarts.",
            "Investment in grid links between Japan's regional power systems.",
        ),
    },
    {
        "slug": "beijings-export-controls-on-critical-minerals",
        "title": "Beijing's Export Controls on Critical Minerals: Signal or Strategy?",
        "type": "issue-brief",
        "authors": ("lin-qiaowen", "amara-whitfield"),
        "regions": ("china",),
        "tags": ("export controls", "critical minerals", "supply chains", "economic security"),
        "days_ago": 90,
        "lead": (
            "China has begun licensing exports of several minerals used in chips, "
            "batteries and defense equipment. The measures are narrow so far, but they "
            "show that Beijing has learned the tools of export control from its rivals. "
            "Importers need to plan for controls that tighten in steps."
        ),
        "sections": (
            (
                "Background",
                (
                    "China dominates the refining of many minerals even where it does not "
                    "dominate mining. Licensing requirements let Beijing slow shipments "
                    "selectively without announcing an embargo.",
                ),
            ),
            (
                "Reading the signal",
                (
                    "The timing of each measure has followed new restrictions on China's "
                    "access to advanced technology, which suggests a calibrated response "
                    "rather than an attempt to cut supply outright.",
                    "The longer-term effect may be larger than the immediate one: "
                    "companies are now willing to pay more for supply from elsewhere, "
                    "which makes new refining projects outside China viable.",
                ),
            ),
        ),
        "quote": "A license requirement is a dial, not a switch, and Beijing has shown it knows how to turn it.",
        "points": (
            "Build strategic stocks of the minerals with the fewest alternative suppliers.",
            "Offer price floors to make refining outside China bankable.",
            "Coordinate stockpiling among allies to avoid bidding against each other.",
        ),
    },
    {
        "slug": "chinas-coast-guard-and-the-gray-zone",
        "title": "China's Coast Guard and the Gray Zone in the South China Sea",
        "type": "policy-brief",
        "authors": ("rafael-dimaculangan", "lin-qiaowen"),
        "regions": ("china", "southeast-asia"),
        "tags": ("South China Sea", "coast guards", "maritime security", "freedom of navigation"),
        "days_ago": 175,
        "featured_position": 4,
        "lead": (
            "In the South China Sea, the sharpest confrontations now involve coast guard "
            "ships and maritime militia rather than navies. These gray-zone tactics are "
            "designed to stay below the threshold that would trigger a military response. "
            "This brief suggests how Southeast Asian states and their partners can "
            "raise the cost of such tactics without escalating."
        ),
        "sections": (
            (
                "Background",
                (
                    "Water cannon, blocking maneuvers and the swarming of reefs by "
                    "fishing vessels have become routine. Each incident is small; together "
                    "they change facts on the water.",
                ),
            ),
            (
                "Transparency as a tool",
                (
                    "The most effective response so far has been publicity. Governments "
                    "that embed journalists on patrols and publish video of incidents "
                    "have shifted regional opinion and made aggressive tactics more "
                    "costly to use.",
                    "Partners can support this by funding surveillance, sharing imagery "
                    "quickly and joining patrols that keep supply missions to outposts "
                    "running.",
                ),
            ),
        ),
        "quote": "Gray-zone tactics depend on ambiguity; cameras are the cheapest way to remove it.",
        "points": (
            "Fund maritime surveillance aircraft and drones for frontline coast guards.",
            "Publish incident imagery within hours, not weeks.",
            "Agree with partners on routine escorts for resupply missions.",
        ),
    },
    {
        "slug": "chinese-local-government-debt-and-regional-trade",
        "title": "What Chinese Local Government Debt Means for Regional Trade",
        "type": "research-paper",
        "authors": ("lin-qiaowen",),
        "regions": ("china",),
        "tags": ("trade", "governance", "economic security", "investment screening"),
        "days_ago": 760,
        "lead": (
            "Chinese local governments carry debts built up over two decades of "
            "infrastructure spending. How Beijing handles them will shape demand for "
            "its neighbors' exports and the flow of Chinese investment abroad. This "
            "paper traces the channels through which the problem spreads."
        ),
        "sections": (
            (
                "How the debt built up",
                (
                    "Local governments financed roads, industrial parks and housing "
                    "through companies that borrowed on their behalf, relying on land "
                    "sales to repay. As the property market cooled, that revenue shrank.",
                    "The result is a slow squeeze on local spending rather than a sudden "
                    "crisis, with provinces cutting investment and delaying payments to "
                    "suppliers.",
                ),
            ),
            (
                "Spillovers to the region",
                (
                    "Lower construction activity reduces demand for commodities from "
                    "Australia, Indonesia and elsewhere. At the same time, firms facing "
                    "weak demand at home are exporting more, putting pressure on "
                    "manufacturers across Asia.",
                ),
            ),
        ),
        "quote": "China's local debt problem is a domestic story with a regional invoice.",
        "points": (
            "Commodity exporters are most exposed to the slowdown in local investment.",
            "Export pressure from Chinese manufacturers is rising in steel and chemicals.",
            "Chinese outbound investment is shifting toward state-backed strategic projects.",
        ),
    },
    {
        "slug": "chip-controls-year-three",
        "title": "Chip Controls, Year Three: Are They Working?",
        "type": "commentary",
        "authors": ("daniel-okafor-reyes", "lin-qiaowen"),
        "regions": ("china", "japan"),
        "tags": ("semiconductors", "export controls", "technology competition", "Taiwan Strait"),
        "days_ago": 45,
        "featured_position": 2,
        "lead": (
            "Controls on advanced chips and chipmaking tools were meant to slow China's "
            "progress in artificial intelligence and military technology. Three years "
            "on, the record is mixed. The controls have raised costs, but they have also "
            "accelerated China's drive for self-sufficiency."
        ),
        "sections": (
            (
                "",
                (
                    "Chinese firms have found ways to keep producing capable chips with "
                    "older equipment, at lower yields and higher cost. Smuggling and "
                    "cloud access have filled some of the remaining gaps.",
                    "Meanwhile, Chinese toolmakers have gained customers at home who no "
                    "longer see foreign suppliers as reliable.",
                ),
            ),
            (
                "Measuring success honestly",
                (
                    "If the goal was to stop Chinese progress, the controls have failed. "
                    "If it was to buy time and raise costs, they have largely succeeded. "
                    "Policy makers should say which goal they are pursuing, because the "
                    "two call for different choices about how far to extend the rules.",
                ),
            ),
        ),
        "quote": "An export control that is never evaluated becomes a habit rather than a policy.",
        "points": (
            "Yields at China's most advanced production lines.",
            "Whether allies align their rules on servicing tools already installed.",
            "Enforcement actions against resellers and cloud providers.",
        ),
    },
    {
        "slug": "managing-risk-in-the-taiwan-strait",
        "title": "Managing Risk in the Taiwan Strait Without a Crisis Playbook",
        "type": "report",
        "authors": ("lin-qiaowen", "helen-achterberg"),
        "regions": ("china", "northeast-asia"),
        "tags": (
            "Taiwan Strait",
            "deterrence",
            "diplomacy",
            "freedom of navigation",
            "semiconductors",
        ),
        "days_ago": 300,
        "lead": (
            "Military activity around Taiwan has become more frequent and more complex, "
            "while communication between the main parties has thinned. There is no "
            "agreed playbook for managing an incident. This report examines the most "
            "likely triggers and the measures that could keep them contained."
        ),
        "sections": (
            (
                "The likely triggers",
                (
                    "The most plausible path to crisis is not a planned invasion but an "
                    "accident: a collision between aircraft, a misjudged intercept or a "
                    "disputed inspection of a ship. Each could escalate if leaders felt "
                    "compelled to show resolve.",
                    "Economic stakes compound the danger. A disruption of shipping or "
                    "chip production would be felt worldwide within weeks.",
                ),
            ),
            (
                "Containing an incident",
                (
                    "Military-to-military channels, pre-agreed rules for unplanned "
                    "encounters and quiet back channels between capitals have all helped "
                    "in past crises. Restoring them is in every party's interest, even if "
                    "none wants to be seen asking first.",
                ),
            ),
        ),
        "quote": "Deterrence prevents the war nobody wants to start; crisis management prevents the one nobody meant to start.",
        "points": (
            "Restore regular military-to-military talks at several levels.",
            "Agree on communication rules for unplanned encounters in the air.",
            "Prepare contingency plans for shipping and chip supply disruption.",
        ),
    },
    {
        "slug": "what-asia-learned-from-the-war-in-ukraine",
        "title": "What Asia Learned from the War in Ukraine",
        "type": "commentary",
        "authors": ("ingrid-valkonen", "mariko-hayashida"),
        "regions": ("ukraine-and-russia", "northeast-asia"),
        "tags": ("deterrence", "alliances", "NATO", "sanctions"),
        "days_ago": 1000,
        "lead": (
            "Governments in Asia have watched the war in Ukraine closely and drawn their "
            "own conclusions. Some lessons concern weapons and stockpiles; the more "
            "important ones concern alliances and the speed at which support arrives."
        ),
        "sections": (
            (
                "",
                (
                    "For Tokyo and Seoul, the first lesson was that deterrence failed "
                    "partly because the aggressor doubted the West would respond with "
                    "unity. The speed of the sanctions response surprised many in Asia "
                    "and reshaped debates about economic exposure.",
                    "The second lesson concerned stockpiles. Modern war consumes "
                    "ammunition at rates peacetime industries cannot match.",
                ),
            ),
            (
                "Different lessons in different capitals",
                (
                    "Not every government drew the same conclusions. Some in Southeast "
                    "and South Asia saw the war as a European affair and prioritized "
                    "avoiding entanglement. That divergence will matter for any future "
                    "coalition in the Indo-Pacific.",
                ),
            ),
        ),
        "quote": "The war taught that deterrence is judged by the aggressor, not by the defender's own confidence.",
        "points": (
            "Defense budgets and ammunition orders in Japan and South Korea.",
            "How Asian partners take part in future NATO summits.",
            "Whether sanctions planning for an Asian contingency begins in earnest.",
        ),
    },
    {
        "slug": "financing-ukraines-reconstruction-without-waiting-for-peace",
        "title": "Financing Ukraine's Reconstruction Without Waiting for Peace",
        "type": "policy-brief",
        "authors": ("oksana-hrytsenko", "ingrid-valkonen"),
        "regions": ("ukraine-and-russia", "europe"),
        "tags": ("reconstruction", "economic security", "energy security", "governance"),
        "days_ago": 380,
        "lead": (
            "Reconstruction in Ukraine cannot wait for a final settlement. Homes, power "
            "plants and water systems are being rebuilt while the war continues. This "
            "brief proposes how donors and investors can finance that work and manage "
            "the risks of building under fire."
        ),
        "sections": (
            (
                "Background",
                (
                    "Damage estimates run into hundreds of billions, far beyond what "
                    "public donors can cover. Private investment is essential but will "
                    "not arrive without guarantees against war risk.",
                ),
            ),
            (
                "Building under fire",
                (
                    "Decentralized, modular projects recover faster and are harder to "
                    "destroy than large central facilities. Municipal programs have "
                    "shown they can deliver quickly when funding is predictable.",
                    "Transparent procurement is the condition for sustaining donor "
                    "support, and Ukraine's digital procurement system gives it a head "
                    "start.",
                ),
            ),
        ),
        "quote": "Waiting for peace to rebuild means handing the aggressor a veto over recovery.",
        "points": (
            "Expand war-risk insurance backed by donor governments.",
            "Channel funds through municipalities with proven delivery records.",
            "Tie disbursement to open, digital procurement.",
        ),
    },
    {
        "slug": "russias-sanctions-workarounds-run-through-third-countries",
        "title": "Russia's Sanctions Workarounds Run Through Third Countries",
        "type": "research-paper",
        "authors": ("oksana-hrytsenko", "amara-whitfield"),
        "regions": ("ukraine-and-russia", "south-asia"),
        "tags": ("sanctions", "sanctions evasion", "export controls", "trade"),
        "days_ago": 520,
        "lead": (
            "Trade data show sharp increases in exports of dual-use goods to countries "
            "bordering Russia and to distant transit hubs. This paper follows those "
            "flows and asks which enforcement tools can reach intermediaries that are "
            "not themselves under sanctions."
        ),
        "sections": (
            (
                "Following the goods",
                (
                    "Electronic components, machine tools and vehicle parts now reach "
                    "Russia through a chain of traders in third countries. Many of the "
                    "companies involved were registered after the sanctions began.",
                    "The volumes are concentrated: a small number of product categories "
                    "and transit routes account for most of the rerouted trade.",
                ),
            ),
            (
                "Reaching the intermediaries",
                (
                    "Secondary sanctions are a blunt tool that can damage relations with "
                    "important partners. Working with manufacturers to track where their "
                    "products end up, and with banks to flag suspicious payments, can be "
                    "more precise.",
                ),
            ),
        ),
        "quote": "Sanctions are only as strong as the weakest customs post on the route.",
        "points": (
            "Rerouted trade is concentrated in a few product categories and hubs.",
            "Manufacturer end-use checks are the most underused enforcement tool.",
            "Bank reporting catches payments that customs declarations hide.",
        ),
    },
    {
        "slug": "natos-indo-pacific-partners-beyond-summit-photographs",
        "title": "NATO's Indo-Pacific Partners: Beyond Summit Photographs",
        "type": "issue-brief",
        "authors": ("ingrid-valkonen", "mariko-hayashida"),
        "regions": ("europe", "japan", "korean-peninsula"),
        "tags": ("NATO", "alliances", "defense industry", "diplomacy"),
        "days_ago": 600,
        "lead": (
            "Leaders from Japan, South Korea, Australia and New Zealand now attend NATO "
            "summits. The symbolism is clear; the substance is still thin. This brief "
            "identifies areas where the partnership could produce practical results."
        ),
        "sections": (
            (
                "Background",
                (
                    "NATO has no ambition to operate in the Pacific, and its Asian "
                    "partners do not want it to. What they share is an interest in "
                    "defense production, cyber defense and understanding each other's "
                    "threat assessments.",
                ),
            ),
            (
                "Where practical gains lie",
                (
                    "Joint standards for ammunition and spare parts would let partners "
                    "supply each other in a crisis. Shared cyber exercises and exchanges "
                    "of analysts would build familiarity at low cost.",
                    "These projects are modest, but they would give the partnership "
                    "content that survives a change of leaders.",
                ),
            ),
        ),
        "quote": "A partnership that exists only in communiqués will not survive the first difficult summit.",
        "points": (
            "Launch joint work on ammunition and spare-part standards.",
            "Include Asian partners in NATO cyber exercises.",
            "Exchange intelligence analysts on a regular rotation.",
        ),
    },
    {
        "slug": "europes-defense-industry-is-running-short-of-time",
        "title": "Europe's Defense Industry Is Running Short of Time",
        "type": "report",
        "authors": ("ingrid-valkonen",),
        "regions": ("europe", "ukraine-and-russia"),
        "tags": ("defense industry", "NATO", "supply chains", "missiles"),
        "days_ago": 150,
        "lead": (
            "European governments have promised to rebuild their defense industries, "
            "but orders still arrive in small batches and production lines expand "
            "slowly. This report looks at the bottlenecks and at what governments can "
            "do to shorten them."
        ),
        "sections": (
            (
                "The bottlenecks",
                (
                    "Manufacturers will not invest in new capacity without long-term "
                    "contracts, and governments have been slow to sign them. Shortages "
                    "of explosives, specialized steel and skilled workers slow production "
                    "even where money is available.",
                    "Fragmented demand adds to the problem: many countries buy small "
                    "quantities of slightly different versions of the same system.",
                ),
            ),
            (
                "Shortening the lead times",
                (
                    "Multi-year joint orders, shared stockpiles of key inputs and "
                    "standardized designs would each cut lead times. None requires new "
                    "institutions, only the willingness to buy together.",
                ),
            ),
        ),
        "quote": "Factories respond to contracts, not communiqués.",
        "table": {
            "caption": "Selected bottlenecks and the measures that would ease them",
            "columns": ("Bottleneck", "Why it persists", "Measure that would help"),
            "rows": (
                ("Artillery ammunition", "Short contracts", "Multi-year joint orders"),
                ("Explosives", "Few producers", "Shared stockpiles of precursors"),
                ("Air defense missiles", "Complex components", "Standardized designs"),
                ("Skilled labor", "Aging workforce", "Apprenticeships funded by orders"),
            ),
        },
        "points": (
            "Sign multi-year contracts for munitions with clear volume commitments.",
            "Pool orders among several governments for common systems.",
            "Stockpile precursors and components, not just finished products.",
        ),
    },
    {
        "slug": "grain-corridors-and-the-black-sea",
        "title": "Grain Corridors and the Black Sea After the Deal",
        "type": "commentary",
        "authors": ("oksana-hrytsenko",),
        "regions": ("ukraine-and-russia",),
        "tags": ("food security", "maritime security", "humanitarian aid", "trade"),
        "days_ago": 720,
        "lead": (
            "When the negotiated arrangement for shipping grain from Ukrainian ports "
            "lapsed, many expected exports to collapse. They did not. Ukraine kept a "
            "corridor open on its own, with lessons for maritime security elsewhere."
        ),
        "sections": (
            (
                "",
                (
                    "The corridor relied on coastal routes, insurance backed by "
                    "governments and the steady clearance of mines. Ship owners returned "
                    "once the risk was priced and covered.",
                    "Food importers in Africa and the Middle East benefited most, as "
                    "prices stabilized when shipments resumed.",
                ),
            ),
            (
                "Lessons for other seas",
                (
                    "A mid-sized state, with partners' help on insurance and demining, "
                    "kept trade moving under threat. That experience is relevant to any "
                    "future disruption of shipping lanes in Asia.",
                ),
            ),
        ),
        "quote": "Insurance, not warships, decided whether the grain ships sailed.",
        "points": (
            "Attacks on port infrastructure and their effect on volumes.",
            "The cost of war-risk insurance for Black Sea voyages.",
            "Grain prices in the import-dependent countries most exposed.",
        ),
    },
    {
        "slug": "ukraines-energy-grid-under-fire",
        "title": "Ukraine's Energy Grid Under Fire: Lessons for Resilience",
        "type": "issue-brief",
        "authors": ("tomasz-wielgosz", "oksana-hrytsenko"),
        "regions": ("ukraine-and-russia", "europe"),
        "tags": (
            "energy security",
            "reconstruction",
            "disaster resilience",
            "cybersecurity",
            "refugees",
        ),
        "days_ago": 460,
        "lead": (
            "Ukraine's power system has survived sustained attacks on generation, "
            "transmission and control systems. How engineers kept the lights on offers "
            "lessons for any country whose grid could become a target, and for how "
            "reconstruction should be planned."
        ),
        "sections": (
            (
                "Background",
                (
                    "Attacks have targeted large power plants and substations, and "
                    "cyber intrusions have probed control systems. Repair crews have "
                    "worked under fire to restore supply within days.",
                ),
            ),
            (
                "Decentralize to survive",
                (
                    "Small gas turbines, rooftop solar and batteries spread across "
                    "cities are harder to knock out than a few large plants. Hospitals "
                    "and water utilities with their own supply have kept working through "
                    "blackouts.",
                    "Winter outages have also driven families to leave cities, which "
                    "links grid resilience directly to displacement.",
                ),
            ),
        ),
        "quote": "A grid built for efficiency is fragile; a grid built for resilience has spare parts and many small hearts.",
        "points": (
            "Plan reconstruction around distributed generation and storage.",
            "Stockpile transformers and other long-lead equipment regionally.",
            "Exercise manual operation of control systems against cyberattack.",
        ),
    },
    {
        "slug": "europe-rethinks-its-china-trade-exposure",
        "title": "Europe Rethinks Its China Trade Exposure",
        "type": "policy-brief",
        "authors": ("ingrid-valkonen", "amara-whitfield", "lin-qiaowen"),
        "regions": ("europe", "china"),
        "tags": ("economic security", "trade", "investment screening", "supply chains"),
        "days_ago": 270,
        "lead": (
            "European governments have moved from talking about dependence on China to "
            "measuring it. Investment screening, trade defense and supply-chain audits "
            "are now routine. This brief asks whether the tools add up to a strategy."
        ),
        "sections": (
            (
                "Background",
                (
                    "Europe's approach is built around reducing specific risks rather "
                    "than cutting ties. The difficulty lies in agreeing which risks "
                    "matter, since member states' exposure differs greatly.",
                ),
            ),
            (
                "From tools to strategy",
                (
                    "Screening of inbound investment now exists in most member states, "
                    "but outbound investment and research partnerships are barely "
                    "covered. Supply-chain audits identify dependencies without saying "
                    "who should pay to reduce them.",
                    "A shared list of priority dependencies, with funding attached, "
                    "would turn a collection of tools into a policy.",
                ),
            ),
        ),
        "quote": "Measuring a dependency is the easy part; deciding who pays to reduce it is the policy.",
        "points": (
            "Agree a short list of priority dependencies at European level.",
            "Attach joint funding to the most important diversification projects.",
            "Extend screening cautiously to outbound investment in sensitive technologies.",
        ),
    },
    {
        "slug": "indias-semiconductor-bet-and-the-partners-it-needs",
        "title": "India's Semiconductor Bet and the Partners It Needs",
        "type": "issue-brief",
        "authors": ("arjun-raghunathan", "daniel-okafor-reyes"),
        "regions": ("south-asia",),
        "tags": ("semiconductors", "supply chains", "technology competition", "Quad"),
        "days_ago": 230,
        "lead": (
            "India is offering generous subsidies to attract chip assembly and "
            "fabrication. Money alone will not build an industry. This brief looks at "
            "the partnerships in skills, equipment and materials that will decide "
            "whether the bet pays off."
        ),
        "sections": (
            (
                "Background",
                (
                    "India's strengths lie in chip design and engineering talent; its "
                    "weaknesses in manufacturing infrastructure, reliable utilities and "
                    "the supplier networks that cluster around fabrication plants.",
                ),
            ),
            (
                "Partners, not just investors",
                (
                    "Japanese and Taiwanese firms bring process know-how, while "
                    "American and European toolmakers decide how quickly plants can be "
                    "equipped. Training programs tied to each new plant would address "
                    "the skills gap faster than general education reform.",
                    "Starting with assembly and testing, where India can compete soon, "
                    "builds the supplier base that advanced fabrication will later need.",
                ),
            ),
        ),
        "quote": "Subsidies can buy a factory; only partners can supply the ecosystem around it.",
        "points": (
            "Prioritize assembly and testing, where India can compete quickly.",
            "Tie subsidies to training programs run with foreign partners.",
            "Guarantee water and power supply for chip clusters.",
        ),
    },
    {
        "slug": "the-quads-quiet-agenda",
        "title": "The Quad's Quiet Agenda: Health, Climate and Undersea Cables",
        "type": "commentary",
        "authors": ("arjun-raghunathan", "mariko-hayashida"),
        "regions": ("south-asia", "japan", "southeast-asia"),
        "tags": ("Quad", "climate change", "cybersecurity", "alliances"),
        "days_ago": 540,
        "lead": (
            "The Quad of Australia, India, Japan and the United States is often "
            "described as a security grouping. Its most useful work is elsewhere: "
            "vaccines, climate data and the cables that carry the region's internet "
            "traffic."
        ),
        "sections": (
            (
                "",
                (
                    "The Quad's members disagree on important security questions, "
                    "including relations with Russia. They agree on the value of public "
                    "goods that Southeast Asian and Pacific partners actually ask for.",
                    "Projects on disaster warning, maritime data and secure cables "
                    "attract little attention but build trust with the region.",
                ),
            ),
            (
                "Keep it practical",
                (
                    "The grouping works best when it delivers rather than declares. "
                    "Every summit statement that promises more than it funds weakens "
                    "the case that the Quad is different from other forums.",
                ),
            ),
        ),
        "quote": "The Quad's influence grows with every project it delivers and shrinks with every one it merely announces.",
        "points": (
            "Funding for undersea cable projects in the Pacific.",
            "Whether climate data sharing reaches national disaster agencies.",
            "The frequency of Quad working-level meetings between summits.",
        ),
    },
    {
        "slug": "heatwaves-water-and-stability-in-south-asia",
        "title": "Heatwaves, Water and Stability in South Asia",
        "type": "research-paper",
        "authors": ("helen-achterberg", "arjun-raghunathan"),
        "regions": ("south-asia",),
        "tags": (
            "climate change",
            "disaster resilience",
            "food security",
            "governance",
            "energy transition",
        ),
        "days_ago": 800,
        "lead": (
            "Extreme heat and erratic water supply are already affecting harvests, "
            "labor productivity and public health across South Asia. This paper "
            "examines how climate stress interacts with governance and where local "
            "adaptation has worked."
        ),
        "sections": (
            (
                "Climate stress as a governance test",
                (
                    "Heat action plans, water rationing and crop insurance all depend on "
                    "local administrations. Where those administrations are trusted and "
                    "funded, adaptation has reduced deaths and losses markedly.",
                    "Where they are not, climate shocks deepen grievances and can spill "
                    "into protest and migration.",
                ),
            ),
            (
                "Cross-border water",
                (
                    "Rivers shared between India, Pakistan, Bangladesh and Nepal link "
                    "climate stress to diplomacy. Data sharing on river flows remains "
                    "limited, even where treaties exist.",
                ),
            ),
        ),
        "quote": "Adaptation succeeds or fails at the level of the district office, not the summit.",
        "points": (
            "City heat action plans have measurably reduced heat-related deaths.",
            "Crop insurance reaches too few smallholders to stabilize rural incomes.",
            "River flow data sharing is the cheapest cross-border confidence measure.",
        ),
    },
    {
        "slug": "elections-in-south-asia-and-the-information-contest",
        "title": "Elections in South Asia and the Information Contest",
        "type": "report",
        "authors": ("arjun-raghunathan", "daniel-okafor-reyes"),
        "regions": ("south-asia",),
        "tags": (
            "elections",
            "democracy",
            "artificial intelligence",
            "public opinion",
            "governance",
        ),
        "days_ago": 395,
        "lead": (
            "Recent election campaigns in South Asia saw synthetic audio, cloned "
            "candidates and coordinated messaging in many languages. This report "
            "assesses what changed, what did not, and how electoral authorities and "
            "platforms can respond in the next cycle."
        ),
        "sections": (
            (
                "What changed",
                (
                    "Generative tools made it cheap to produce campaign material in "
                    "dozens of languages and to imitate voices convincingly. Parties "
                    "used the same tools openly for outreach.",
                    "The most damaging content was not the most sophisticated; simple "
                    "edited clips spread faster than elaborate fakes.",
                ),
            ),
            (
                "Responses that work",
                (
                    "Electoral commissions that published rapid rebuttals in local "
                    "languages limited the spread of false claims. Platform labeling "
                    "helped less, because much sharing happens in closed messaging groups.",
                ),
            ),
        ),
        "quote": "The decisive variable was not the quality of the fake but the speed of the rebuttal.",
        "points": (
            "Fund fact-checking capacity in regional languages well before polling day.",
            "Require parties to disclose synthetic material in their own campaigns.",
            "Set up rapid channels between electoral commissions and messaging services.",
        ),
    },
    {
        "slug": "india-and-russia-an-energy-relationship-under-sanctions",
        "title": "India and Russia: An Energy Relationship Under Sanctions",
        "type": "issue-brief",
        "authors": ("arjun-raghunathan", "tomasz-wielgosz"),
        "regions": ("south-asia", "ukraine-and-russia"),
        "tags": ("energy security", "sanctions", "trade", "nuclear energy"),
        "days_ago": 610,
        "lead": (
            "India became one of the largest buyers of discounted Russian oil after "
            "the invasion of Ukraine. New Delhi frames this as energy security; Western "
            "partners see a hole in the sanctions. This brief explains India's "
            "reasoning and the room for compromise."
        ),
        "sections": (
            (
                "Background",
                (
                    "India imports most of its oil and is highly sensitive to price. "
                    "Discounted crude eased inflation at home and supported refiners who "
                    "export fuel products to Europe.",
                ),
            ),
            (
                "The room for compromise",
                (
                    "Price caps, rather than bans, gave India a way to keep buying while "
                    "limiting Russia's revenue. Compliance has been uneven, but the "
                    "framework gives partners something to discuss other than blame.",
                    "Long-standing cooperation on civil nuclear power adds another layer "
                    "that neither side wants to disrupt.",
                ),
            ),
        ),
        "quote": "For New Delhi, energy policy is measured at the petrol pump, not in foreign capitals.",
        "points": (
            "Engage India on price cap compliance rather than on a full ban.",
            "Support India's diversification toward other suppliers and renewables.",
            "Keep the energy dispute separate from cooperation on technology.",
        ),
    },
    {
        "slug": "vietnams-balancing-act-in-the-chip-supply-chain",
        "title": "Vietnam's Balancing Act in the Chip Supply Chain",
        "type": "issue-brief",
        "authors": ("daniel-okafor-reyes", "rafael-dimaculangan"),
        "regions": ("southeast-asia", "china"),
        "tags": ("semiconductors", "supply chains", "trade", "technology competition"),
        "days_ago": 345,
        "lead": (
            "Vietnam is winning investment from electronics firms moving part of their "
            "production out of China. It wants to climb into chip assembly and design "
            "without provoking its largest neighbor. This brief weighs the "
            "opportunities against the risks."
        ),
        "sections": (
            (
                "Background",
                (
                    "Vietnam offers a young workforce, trade agreements with most major "
                    "markets and political stability. Power shortages and a small pool "
                    "of engineers are its main constraints.",
                ),
            ),
            (
                "Balancing, not choosing",
                (
                    "Hanoi's foreign policy rests on good relations with all major "
                    "powers. In semiconductors, that means welcoming Western and Asian "
                    "investors while keeping supply links with China that its factories "
                    "still depend on.",
                    "Investors should expect Vietnam to avoid public alignment even as "
                    "it deepens practical cooperation.",
                ),
            ),
        ),
        "quote": "Vietnam wants the factories that leave China, not the rivalry that sends them.",
        "points": (
            "Invest in grid capacity before the next wave of chip plants.",
            "Expand engineering education with partner universities.",
            "Keep supply-chain partnerships commercial rather than openly strategic.",
        ),
    },
    {
        "slug": "democratic-resilience-in-southeast-asias-elections",
        "title": "Democratic Backsliding and Resilience in Southeast Asia's Elections",
        "type": "policy-brief",
        "authors": ("helen-achterberg", "rafael-dimaculangan"),
        "regions": ("southeast-asia",),
        "tags": ("elections", "democracy", "governance", "human rights"),
        "days_ago": 920,
        "lead": (
            "Southeast Asia's recent elections tell two stories at once. Courts, "
            "election commissions and dynastic politics have narrowed choices in some "
            "countries, while voters in others have punished incumbents and defended "
            "results. This brief asks what outside partners can usefully do."
        ),
        "sections": (
            (
                "Background",
                (
                    "Backsliding in the region rarely takes the form of cancelled "
                    "elections. It works through disqualified candidates, dissolved "
                    "parties and pressure on independent media.",
                ),
            ),
            (
                "What supports resilience",
                (
                    "Independent election monitoring, local investigative journalism "
                    "and legal aid for candidates have all helped voters' choices count. "
                    "These are modest, long-term investments that rarely make headlines.",
                    "Outside criticism tends to backfire when it is loud and selective; "
                    "steady support for institutions works better.",
                ),
            ),
        ),
        "quote": "Democracy in the region is eroded quietly in courtrooms and defended quietly at polling stations.",
        "points": (
            "Fund domestic election monitors rather than foreign observer missions alone.",
            "Support legal aid for candidates and parties facing disqualification.",
            "Apply criticism consistently across partners and rivals.",
        ),
    },
    {
        "slug": "myanmars-crisis-and-the-limits-of-asean-diplomacy",
        "title": "Myanmar's Crisis and the Limits of ASEAN Diplomacy",
        "type": "commentary",
        "authors": ("rafael-dimaculangan", "helen-achterberg"),
        "regions": ("southeast-asia",),
        "tags": ("human rights", "humanitarian aid", "refugees", "diplomacy"),
        "days_ago": 1040,
        "lead": (
            "Years after the military seized power in Myanmar, ASEAN's peace plan has "
            "produced little. The association's principle of consensus gives the junta "
            "a veto over the response. The humanitarian toll keeps rising."
        ),
        "sections": (
            (
                "",
                (
                    "Fighting has spread across the country, displacing millions and "
                    "sending refugees into neighboring states. Aid reaches areas held by "
                    "the military far more easily than areas controlled by resistance "
                    "groups.",
                    "ASEAN has excluded the junta's leaders from summits, but has not "
                    "found a way to engage the opposition without splitting its members.",
                ),
            ),
            (
                "Working around the veto",
                (
                    "Neighboring states can open cross-border aid routes on their own "
                    "authority. Smaller coalitions within ASEAN can coordinate without "
                    "waiting for unanimity.",
                ),
            ),
        ),
        "quote": "Consensus is a virtue in diplomacy until one member uses it to block help for its own people.",
        "points": (
            "Whether cross-border aid routes from neighboring countries expand.",
            "How ASEAN's rotating chair handles contacts with the opposition.",
            "Refugee policy in the countries hosting the largest numbers.",
        ),
    },
    {
        "slug": "energy-transition-finance-in-southeast-asia",
        "title": "Energy Transition Finance in Southeast Asia",
        "type": "report",
        "authors": ("tomasz-wielgosz", "helen-achterberg"),
        "regions": ("southeast-asia", "japan"),
        "tags": (
            "energy transition",
            "climate change",
            "LNG",
            "critical minerals",
            "energy security",
        ),
        "days_ago": 680,
        "lead": (
            "Southeast Asia's demand for electricity is growing fast, and coal still "
            "supplies much of it. International finance for the transition has been "
            "pledged on a large scale but is slow to arrive. This report examines why, "
            "and what would speed it up."
        ),
        "sections": (
            (
                "Why money moves slowly",
                (
                    "Large financing packages depend on national plans that define which "
                    "coal plants retire and when. Those plans touch powerful domestic "
                    "interests and take years to agree.",
                    "Grid operators also need investment before new wind and solar can "
                    "connect, and grids attract less attention from donors than "
                    "generation.",
                ),
            ),
            (
                "Gas as a bridge, and its risks",
                (
                    "Several governments plan to use imported gas as a bridge fuel. That "
                    "reduces emissions compared with coal but exposes importers to "
                    "volatile prices, and risks locking in infrastructure for decades.",
                ),
            ),
        ),
        "quote": "The transition is financed not by pledges but by grid connections that arrive on time.",
        "points": (
            "Direct a fixed share of transition finance to transmission grids.",
            "Pair coal retirement with support for affected workers and regions.",
            "Develop local processing of minerals used in batteries.",
        ),
    },
    {
        "slug": "undersea-cables-are-the-new-chokepoints",
        "title": "Undersea Cables Are the New Chokepoints",
        "type": "issue-brief",
        "authors": ("daniel-okafor-reyes", "rafael-dimaculangan"),
        "regions": ("southeast-asia", "northeast-asia"),
        "tags": (
            "cybersecurity",
            "maritime security",
            "technology competition",
            "economic security",
        ),
        "days_ago": 110,
        "lead": (
            "Almost all international data traffic travels through cables on the "
            "seabed. Recent cuts near contested waters have shown how exposed they are. "
            "This brief outlines how governments can protect cables and repair them "
            "faster."
        ),
        "sections": (
            (
                "Background",
                (
                    "Cables are damaged regularly by anchors and fishing gear. What has "
                    "changed is the suspicion that some recent cuts were deliberate, and "
                    "the difficulty of proving it.",
                ),
            ),
            (
                "Repair capacity is the weak point",
                (
                    "Only a small fleet of specialized ships can repair cables, and "
                    "permits to work in disputed waters can take weeks. Redundant routes "
                    "and faster permits matter more than patrols.",
                    "Governments can also require cable landing stations to meet common "
                    "security standards.",
                ),
            ),
        ),
        "quote": "A cable is only as resilient as the queue for the nearest repair ship.",
        "points": (
            "Co-finance additional repair ships for the region.",
            "Agree fast-track permits for repairs in contested waters.",
            "Fund redundant routes for islands that rely on a single cable.",
        ),
    },
    {
        "slug": "artificial-intelligence-in-command-and-control",
        "title": "Artificial Intelligence in Command and Control: Guardrails for Asia",
        "type": "research-paper",
        "authors": ("daniel-okafor-reyes", "jae-hoon-seong"),
        "regions": ("northeast-asia", "korean-peninsula"),
        "tags": (
            "artificial intelligence",
            "arms control",
            "deterrence",
            "nuclear weapons",
            "technology competition",
        ),
        "days_ago": 25,
        "featured_position": 1,
        "lead": (
            "Militaries across Asia are adding artificial intelligence to early warning, "
            "targeting and decision support. The speed it offers could also compress "
            "the time leaders have to think in a crisis. This paper proposes guardrails "
            "that states could adopt without a formal treaty."
        ),
        "sections": (
            (
                "Where AI enters the loop",
                (
                    "Most military uses of AI today sort data: tracking ships, spotting "
                    "launch preparations, flagging anomalies. The risk lies in how "
                    "much weight commanders give to machine-generated assessments under "
                    "time pressure.",
                    "In a region with short missile flight times, a false alarm that "
                    "looks authoritative is especially dangerous.",
                ),
            ),
            (
                "Guardrails without a treaty",
                (
                    "States can declare that humans will remain in control of nuclear "
                    "launch decisions, test systems against deception, and share "
                    "principles for AI use in early warning. Such unilateral and "
                    "parallel commitments are more attainable than a treaty.",
                ),
            ),
        ),
        "quote": "The danger is not a machine that decides, but a tired officer who trusts a machine that is wrong.",
        "table": {
            "caption": "Illustrative military uses of AI and the guardrail each needs",
            "columns": ("Use", "Main risk", "Guardrail"),
            "rows": (
                ("Early warning", "Authoritative false alarms", "Independent human verification"),
                ("Target recognition", "Deception and spoofing", "Adversarial testing before use"),
                ("Decision support", "Compressed deliberation", "Minimum decision times"),
            ),
        },
        "points": (
            "AI is entering early warning faster than doctrine on its use.",
            "Declaratory commitments on human control are achievable now.",
            "Testing against deception should be a condition of deployment.",
        ),
    },
    # Not public: three drafts, one in review and one scheduled, for the admin demo.
    {
        "slug": "space-situational-awareness-and-the-korean-peninsula",
        "title": "Space Situational Awareness and the Korean Peninsula",
        "type": "issue-brief",
        "authors": ("jae-hoon-seong",),
        "regions": ("korean-peninsula", "japan"),
        "tags": ("missiles", "technology competition", "alliances", "deterrence"),
        "status": "draft",
        "lead": (
            "Knowing what is in orbit over the Korean Peninsula has become a military "
            "necessity. South Korea and Japan are building their own tracking "
            "capabilities. This brief asks how they can share what they see."
        ),
        "sections": (
            (
                "Background",
                (
                    "Satellite launches in the region have multiplied, and the line "
                    "between civilian and military satellites is blurring.",
                ),
            ),
            (
                "Sharing the picture",
                (
                    "A common picture of objects in orbit would help allies tell a "
                    "satellite launch from a missile test more quickly.",
                ),
            ),
        ),
        "quote": "What cannot be tracked cannot be deterred.",
        "points": (
            "Link national space tracking centers.",
            "Agree on data formats with the United States.",
            "Publish unclassified summaries of launches.",
        ),
    },
    {
        "slug": "carbon-border-taxes-and-asian-exporters",
        "title": "Carbon Border Taxes and Asian Exporters",
        "type": "policy-brief",
        "authors": ("amara-whitfield", "ingrid-valkonen"),
        "regions": ("europe", "china", "southeast-asia"),
        "tags": ("climate change", "trade", "energy transition", "economic security"),
        "status": "draft",
        "lead": (
            "Europe's charge on the carbon content of imports will soon apply to steel, "
            "aluminum and cement from Asia. Exporters face new reporting duties and "
            "costs. This brief looks at how Asian governments are preparing."
        ),
        "sections": (
            (
                "Background",
                (
                    "The charge is designed to prevent production from moving to "
                    "countries with weaker climate rules.",
                ),
            ),
            (
                "Preparing for compliance",
                (
                    "Exporters that measure their emissions early will be able to prove "
                    "lower charges than default values imply.",
                ),
            ),
        ),
        "quote": "The first cost of a carbon border charge is paperwork; the second is carbon.",
        "points": (
            "Help small exporters measure emissions.",
            "Link domestic carbon prices to the European charge.",
            "Discuss the charge at trade talks early.",
        ),
    },
    {
        "slug": "a-refugee-policy-for-prolonged-displacement",
        "title": "A Refugee Policy for Prolonged Displacement",
        "type": "commentary",
        "authors": ("oksana-hrytsenko",),
        "regions": ("ukraine-and-russia", "europe"),
        "tags": ("refugees", "humanitarian aid", "reconstruction"),
        "status": "draft",
        "lead": (
            "Temporary protection for people displaced by the war was designed for a "
            "short emergency. The emergency has lasted years. Host countries need a "
            "policy for long stays and eventual returns."
        ),
        "sections": (
            (
                "",
                (
                    "Many displaced families have found work and enrolled children in "
                    "school. Uncertainty about their status holds back both integration "
                    "and plans to return.",
                ),
            ),
            (
                "Planning for both paths",
                (
                    "Clear residence rights and support for voluntary return can exist "
                    "side by side.",
                ),
            ),
        ),
        "quote": "Temporary protection that never ends is neither temporary nor much protection.",
        "points": (
            "Decisions on extending temporary protection.",
            "Programs supporting voluntary return.",
            "Recognition of qualifications in host countries.",
        ),
    },
    {
        "slug": "the-next-phase-of-us-japan-defense-industrial-cooperation",
        "title": "The Next Phase of US-Japan Defense Industrial Cooperation",
        "type": "report",
        "authors": ("mariko-hayashida", "ingrid-valkonen"),
        "regions": ("japan",),
        "tags": ("defense industry", "US-Japan alliance", "missiles", "supply chains"),
        "status": "review",
        "lead": (
            "Japan's relaxed rules on defense exports open the way for co-production "
            "with the United States. Turning that opening into steady output will "
            "take contracts, standards and patience. This report sets out a roadmap."
        ),
        "sections": (
            (
                "Background",
                (
                    "Japanese firms have long produced American-designed systems under "
                    "license, mostly for Japan's own forces.",
                ),
            ),
            (
                "A roadmap",
                (
                    "Co-production of missiles and ship repair in Japanese yards are "
                    "the most promising near-term projects.",
                ),
            ),
        ),
        "quote": "Co-production turns an alliance of promises into an alliance of factories.",
        "points": (
            "Start with missile co-production and ship maintenance.",
            "Align export rules for jointly produced systems.",
            "Sign multi-year orders to justify new capacity.",
        ),
    },
    {
        "slug": "north-koreas-satellite-program-and-regional-early-warning",
        "title": "North Korea's Satellite Program and Regional Early Warning",
        "type": "issue-brief",
        "authors": ("jae-hoon-seong", "seo-yeon-kwak"),
        "regions": ("korean-peninsula", "japan"),
        "tags": ("missiles", "trilateral cooperation", "deterrence", "technology competition"),
        "days_ago": -30,
        "lead": (
            "North Korea's reconnaissance satellites give it a view of allied forces it "
            "never had before, and its launches test the region's early warning "
            "systems. This brief examines how allies can share warning data faster."
        ),
        "sections": (
            (
                "Background",
                (
                    "Satellite launches use rockets closely related to long-range "
                    "missiles, which complicates the response to each launch.",
                ),
            ),
            (
                "Faster warning",
                (
                    "Real-time sharing of tracking data between Seoul, Tokyo and "
                    "Washington shortens the time needed to assess each launch.",
                ),
            ),
        ),
        "quote": "Every launch is also a test of how quickly allies can talk to each other.",
        "points": (
            "Extend real-time data sharing to all launch types.",
            "Issue joint public assessments after each launch.",
            "Plan for responses to a successful satellite deployment.",
        ),
    },
)

# Curators' hand-picked related publications, in order. A pick that is not public
# (the scheduled brief below) stays hidden from readers until it is.
RELATED_PICKS = {
    "reading-pyongyangs-test-schedule-as-a-procurement-plan": (
        "crisis-hotlines-that-actually-ring",
        "north-koreas-satellite-program-and-regional-early-warning",
        "trilateral-cooperation-building-it-to-last",
    ),
    "what-asia-learned-from-the-war-in-ukraine": (
        "natos-indo-pacific-partners-beyond-summit-photographs",
        "japans-counterstrike-capability-and-the-alliance",
    ),
    "beijings-export-controls-on-critical-minerals": (
        "energy-transition-finance-in-southeast-asia",
        "europe-rethinks-its-china-trade-exposure",
    ),
    "chinas-coast-guard-and-the-gray-zone": (
        "japans-partnerships-in-southeast-asia",
        "ship-to-ship-transfers-and-the-coast-guard-gap",
        "undersea-cables-are-the-new-chokepoints",
    ),
}
