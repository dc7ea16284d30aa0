"""The seed catalogue (DOMAIN.md b.4/b.5), departments, general questions and the 2026-2027 holidays.

Administrators change all of it afterwards in the admin; this only gives a fresh installation its services.
Idempotent by code: a service, category or department that already exists is left as it is.
"""

import datetime

from django.db import migrations

DEPARTMENTS = [
    ("member-services", "شؤون الأعضاء والمساهمين", "Member and shareholder affairs"),
    ("extension", "الإرشاد الزراعي والإنتاج", "Agricultural extension and production"),
    ("marketing", "التسويق والمعالجة", "Marketing and processing"),
    ("finance", "الشؤون المالية", "Finance"),
    ("customer-care", "خدمة الأعضاء والتواصل", "Member care and communication"),
    ("governance", "أمانة مجلس الإدارة والحوكمة", "Board secretariat and governance"),
]

CATEGORIES = [
    ("membership", "العضوية والأسهم", "Membership & shares", 1),
    ("governance", "الجمعية العمومية والحوكمة", "General Assembly & governance", 2),
    ("farm", "المزرعة والإنتاج", "Farm & production", 3),
    ("marketing", "الحصاد والمعالجة والتسويق", "Harvest, processing & marketing", 4),
    ("finance", "الشؤون المالية", "Financial", 5),
    ("support", "الدعم والتمكين", "Support & enablement", 6),
    ("communication", "التواصل والرضا", "Communication & satisfaction", 7),
]

YES_NO = "yes_no"
IBAN_HELP = ("يبدأ بـ SA ويتكون من 24 خانة.", "Starts with SA, 24 characters.")
GOVERNORATES = (
    "najran|نجران|Najran\nsharurah|شرورة|Sharurah\nhubuna|حبونا|Hubuna\nbadr_al_janoub|بدر الجنوب|Badr Al-Janoub\n"
    "yadamah|يدمة|Yadamah\nthar|ثار|Thar\nkhubash|خباش|Khubash"
)

# code, category, department, kind, audience, sla, board, name_ar, name_en, description_ar, description_en,
# outcome_ar, outcome_en, fields [(key, ar, en, type, required, choices)], documents [(ar, en, required, types)]
SERVICES = [
    (
        "MEM-01",
        "membership",
        "member-services",
        "membership_application",
        "applicants",
        15,
        True,
        "طلب عضوية جديدة",
        "New membership application",
        "للمزارعين السعوديين الراغبين في الانضمام إلى الجمعية والمساهمة في رأس مالها. يُعرض الطلب على مجلس الإدارة للبت فيه.",
        "For Saudi farmers who wish to join the cooperative and subscribe to its capital. The board decides on the application.",
        "قرار مجلس الإدارة؛ وعند القبول رقم عضوية وشهادة عضوية وشهادة أسهم.",
        "The board's decision; if accepted, a membership number and membership and share certificates.",
        [
            ("governorate", "المحافظة", "Governorate", "choice", True, GOVERNORATES),
            ("village", "المركز أو القرية", "Centre or village", "text", True, ""),
            ("short_address", "العنوان الوطني المختصر", "National short address", "text", False, ""),
            ("holding_type", "نوع الحيازة", "Holding type", "choice", True, "owned|ملك|Owned\nleased|إيجار|Leased"),
            (
                "agri_register_no",
                "رقم السجل الزراعي (إن وجد)",
                "Agricultural register number (if any)",
                "text",
                False,
                "",
            ),
            ("bearing_trees", "عدد أشجار البن المثمرة", "Bearing coffee trees", "number", True, ""),
            ("young_trees", "عدد أشجار البن غير المثمرة", "Coffee trees not yet bearing", "number", False, ""),
            ("intercropped", "مزروعة بين النخيل", "Intercropped with palms", YES_NO, True, ""),
            ("shares", "عدد الأسهم المطلوبة", "Number of shares requested", "number", True, ""),
            ("iban", "رقم الآيبان", "IBAN", "text", True, ""),
        ],
        [
            ("صك الملكية أو عقد الإيجار", "Ownership deed or lease", True, "pdf,jpeg,png"),
            ("إيصال تحويل قيمة الأسهم والرسوم", "Bank-transfer receipt for shares and fees", True, "pdf,jpeg,png"),
        ],
    ),
    (
        "MEM-02",
        "membership",
        "member-services",
        "service",
        "members",
        5,
        False,
        "شراء أسهم إضافية",
        "Subscribe to additional shares",
        "زيادة مساهمتك في رأس مال الجمعية، في حدود 10٪ من رأس المال.",
        "Increase your holding in the cooperative's capital, within the 10 % cap.",
        "تسجيل الأسهم بتاريخ تملكها، وشهادة أسهم محدثة، وسند قبض.",
        "The shares registered with their acquisition date, an updated share certificate and a payment receipt.",
        [("shares", "عدد الأسهم", "Number of shares", "number", True, "")],
        [("إيصال التحويل البنكي", "Bank-transfer receipt", True, "pdf,jpeg,png")],
    ),
    (
        "MEM-03",
        "membership",
        "member-services",
        "service",
        "members",
        15,
        True,
        "التنازل عن الأسهم (نقل ملكية)",
        "Share transfer",
        "نقل ملكية أسهمك أو بعضها إلى عضو آخر أو إلى من تتوفر فيه شروط العضوية، بموافقة مجلس الإدارة.",
        "Transfer some or all of your shares to another member or an eligible person, with the board's approval.",
        "قرار مجلس الإدارة، وتحديث سجل المساهمين للطرفين، وشهادات جديدة.",
        "The board's decision, the register updated on both sides, and new certificates.",
        [
            ("transferee_id", "رقم هوية المتنازَل له", "Transferee's national ID", "text", True, ""),
            ("transferee_name", "اسم المتنازَل له", "Transferee's name", "text", True, ""),
            ("shares", "عدد الأسهم", "Number of shares", "number", True, ""),
            ("agreed_value", "القيمة المتفق عليها (ريال)", "Agreed value (SAR)", "number", False, ""),
        ],
        [],
    ),
    (
        "MEM-04",
        "membership",
        "member-services",
        "service",
        "members",
        15,
        True,
        "الانسحاب واسترداد قيمة الأسهم",
        "Withdrawal and share refund",
        "الانسحاب من عضوية الجمعية واسترداد قيمة أسهمك وفق آخر حسابات معتمدة، بعد قرار مجلس الإدارة.",
        "Withdraw from the cooperative and get your shares refunded per the last approved accounts, after the board decides.",
        "قرار مجلس الإدارة، وصرف المبلغ، وكشف ختامي.",
        "The board's decision, the refund paid, and a closing statement.",
        [
            ("reason", "سبب الانسحاب", "Reason for withdrawal", "long_text", True, ""),
            ("iban", "رقم الآيبان", "IBAN", "text", True, ""),
        ],
        [("شهادة الآيبان", "IBAN certificate", True, "pdf,jpeg,png")],
    ),
    (
        "MEM-05",
        "membership",
        "member-services",
        "service",
        "members_and_applicants",
        20,
        True,
        "إحلال الورثة أو رد قيمة أسهم المتوفى",
        "Heirs' succession / refund for a deceased member",
        "للورثة أو الوكيل الشرعي: إحلال أحد الورثة محل العضو المتوفى، أو رد قيمة أسهمه.",
        "For heirs or their legal agent: one heir takes the deceased member's place, or the shares are refunded.",
        "تسجيل الوارث عضوًا بالأسهم الموروثة، أو صرف القيمة لحساب الورثة.",
        "The heir registered as a member with the inherited shares, or the value paid to the heirs' account.",
        [
            ("deceased_id", "رقم هوية المتوفى", "Deceased member's national ID", "text", True, ""),
            (
                "choice",
                "المطلوب",
                "What the heirs want",
                "choice",
                True,
                "substitute|إحلال أحد الورثة|A substitute heir\nrefund|رد قيمة الأسهم|A refund",
            ),
            ("iban", "رقم الآيبان", "IBAN", "text", False, ""),
        ],
        [
            ("شهادة الوفاة", "Death certificate", True, "pdf,jpeg,png"),
            ("صك حصر الورثة", "Heirs-determination deed", True, "pdf,jpeg,png"),
            ("الوكالة الشرعية", "Legal power of attorney", False, "pdf,jpeg,png"),
        ],
    ),
    (
        "MEM-06",
        "membership",
        "member-services",
        "service",
        "members",
        1,
        False,
        "إصدار شهادة عضوية / شهادة أسهم",
        "Membership / share certificate",
        "شهادة برقم عضويتك وعدد أسهمك، بالتاريخين الهجري والميلادي، مع رمز تحقق.",
        "A certificate with your membership number and share count, Hijri and Gregorian dates, and a verification code.",
        "شهادة بصيغة PDF في صفحة الطلب.",
        "A PDF certificate on the request page.",
        [
            (
                "certificate",
                "نوع الشهادة",
                "Certificate",
                "choice",
                True,
                "membership|شهادة عضوية|Membership certificate\nshares|شهادة أسهم|Share certificate",
            ),
            ("language", "لغة الشهادة", "Language", "choice", True, "ar|العربية|Arabic\nen|الإنجليزية|English"),
        ],
        [],
    ),
    (
        "MEM-07",
        "membership",
        "member-services",
        "service",
        "members",
        3,
        False,
        "تحديث بيانات العضو",
        "Update member data",
        "تحديث رقم الجوال أو العنوان أو البريد أو الآيبان أو بيانات المزرعة.",
        "Update your mobile, address, e-mail, IBAN or farm data.",
        "تحديث البيانات مع سجل تدقيق، وإشعار برسالة نصية.",
        "The data updated with an audit trail, and a text message.",
        [
            (
                "what",
                "البيانات المراد تحديثها",
                "What to update",
                "choice",
                True,
                "mobile|رقم الجوال|Mobile\naddress|العنوان الوطني|National address\nemail|البريد الإلكتروني|E-mail\n"
                "iban|الآيبان|IBAN\nfarm|بيانات المزرعة|Farm data",
            ),
            ("new_value", "البيانات الجديدة", "The new data", "long_text", True, ""),
        ],
        [
            (
                "مستند داعم (شهادة الآيبان عند تغييره)",
                "Supporting document (the IBAN certificate for an IBAN)",
                False,
                "pdf,jpeg,png",
            )
        ],
    ),
    (
        "GOV-01",
        "governance",
        "governance",
        "service",
        "members",
        1,
        False,
        "توكيل عضو لحضور الجمعية العمومية",
        "Appoint a General Assembly proxy",
        "توكيل عضو آخر لحضور اجتماع الجمعية العمومية والتصويت نيابة عنك.",
        "Appoint another member to attend the General Assembly and vote for you.",
        "تسجيل التوكيل قبل موعد الاجتماع.",
        "The proxy registered before the meeting.",
        [
            ("meeting", "الاجتماع", "Meeting", "text", True, ""),
            ("proxy_membership_no", "رقم عضوية الوكيل", "Proxy's membership number", "text", True, ""),
        ],
        [],
    ),
    (
        "GOV-02",
        "governance",
        "governance",
        "service",
        "members",
        2,
        False,
        "طلب الاطلاع على القوائم المالية والتقارير",
        "Request to inspect financial statements and reports",
        "الاطلاع على الحساب الختامي وتقرير مجلس الإدارة قبل اجتماع الجمعية العمومية.",
        "Inspect the final accounts and the board's report before the General Assembly.",
        "إتاحة الاطلاع في البوابة أو موعد في المقر.",
        "Access in the portal, or an appointment at headquarters.",
        [
            ("documents", "المستندات المطلوبة", "Which documents", "long_text", True, ""),
            (
                "channel",
                "طريقة الاطلاع",
                "How",
                "choice",
                True,
                "portal|في البوابة|In the portal\nhq|في مقر الجمعية|At headquarters",
            ),
        ],
        [],
    ),
    (
        "GOV-03",
        "governance",
        "governance",
        "service",
        "members_and_applicants",
        3,
        False,
        "التظلم من قرار مجلس الإدارة",
        "Appeal against a board decision",
        "التظلم من قرار لمجلس الإدارة يخصك، ويُدرج على جدول أعمال الجمعية العمومية التالية.",
        "Appeal against a board decision about you; it goes on the next General Assembly's agenda.",
        "إشعار بالاستلام، ثم قرار الجمعية العمومية.",
        "An acknowledgement, then the General Assembly's decision.",
        [
            ("decision", "القرار المتظلم منه", "The decision appealed", "text", True, ""),
            ("grounds", "أسباب التظلم", "Grounds", "long_text", True, ""),
        ],
        [("مستندات داعمة", "Supporting documents", False, "pdf,jpeg,png")],
    ),
    (
        "FRM-01",
        "farm",
        "extension",
        "service",
        "members",
        10,
        False,
        "طلب شتلات بن",
        "Coffee seedlings request",
        "شتلات بن من مشتل الجمعية بسعر الأعضاء، حسب المخزون المتاح.",
        "Coffee seedlings from the cooperative's nursery at the member price, as stock allows.",
        "تخصيص الشتلات وتسليمها بسند استلام، أو إدراجك في قائمة الانتظار بموعد.",
        "Seedlings allocated and handed over against a delivery receipt, or a place on the waiting list with a date.",
        [
            ("seedlings", "عدد الشتلات", "Number of seedlings", "number", True, ""),
            ("variety", "الصنف المفضل", "Preferred variety", "text", False, ""),
            ("irrigation_ready", "الري جاهز", "Irrigation ready", YES_NO, True, ""),
            ("shade_ready", "يوجد ظل أو نخيل", "Shade or palms available", YES_NO, True, ""),
            (
                "season",
                "الموسم المفضل للزراعة",
                "Preferred planting season",
                "choice",
                False,
                "winter|الشتاء|Winter\nspring|الربيع|Spring\nautumn|الخريف|Autumn",
            ),
        ],
        [],
    ),
    (
        "FRM-02",
        "farm",
        "extension",
        "service",
        "members",
        5,
        False,
        "طلب مدخلات إنتاج",
        "Farm inputs purchase",
        "أسمدة ومبيدات وشبكات ري بالتنقيط وأدوات فرز بسعر الأعضاء.",
        "Fertiliser, pesticide, drip-irrigation kits and sorting tools at the member price.",
        "التسليم أو الاستلام مع فاتورة.",
        "Delivered or collected, with an invoice.",
        [
            ("items", "الأصناف والكميات", "Items and quantities", "long_text", True, ""),
            (
                "delivery",
                "طريقة الاستلام",
                "Delivery",
                "choice",
                True,
                "pickup|استلام من مقر الجمعية|Pick up at the cooperative\ndelivery|توصيل إلى المزرعة|Delivery to the farm",
            ),
        ],
        [],
    ),
    (
        "FRM-03",
        "farm",
        "extension",
        "service",
        "members",
        5,
        False,
        "طلب زيارة إرشادية",
        "Agricultural extension visit",
        "زيارة مرشد زراعي لمزرعتك لمعالجة مشكلة في الآفات أو الري أو التقليم أو الحصاد.",
        "An extension officer visits your farm about pests, irrigation, pruning, shade or harvest.",
        "زيارة وتقرير بالتوصيات والصور.",
        "A visit and a short report with recommendations and photos.",
        [
            (
                "problem",
                "نوع المشكلة",
                "Problem",
                "choice",
                True,
                "pests|آفات وأمراض|Pests or diseases\nirrigation|الري|Irrigation\npruning|التقليم|Pruning\n"
                "shade|التظليل|Shade\nharvest|توقيت الحصاد|Harvest timing\nprocessing|المعالجة|Processing",
            ),
            ("description", "وصف المشكلة", "Describe the problem", "long_text", True, ""),
            ("location", "موقع المزرعة", "Farm location", "text", True, ""),
            ("preferred_date", "الموعد المفضل", "Preferred date", "date", False, ""),
            ("urgent", "عاجل (انتشار آفة)", "Urgent (active pest outbreak)", YES_NO, True, ""),
        ],
        [("صور من المزرعة", "Photos of the farm", False, "jpeg,png")],
    ),
    (
        "FRM-04",
        "farm",
        "extension",
        "service",
        "members",
        2,
        False,
        "التسجيل في دورة تدريبية",
        "Training course registration",
        "دورات في الممارسات الزراعية الجيدة والتقليم والحصاد والمعالجة والتذوق.",
        "Courses on good agricultural practices, pruning, harvest, processing and cupping.",
        "تأكيد المقعد برسالة نصية، وشهادة حضور.",
        "A seat confirmed by text message, and a certificate of attendance.",
        [
            ("course", "الدورة", "Course", "text", True, ""),
            ("attendee", "اسم المتدرب", "Attendee's name", "text", True, ""),
        ],
        [],
    ),
    (
        "MKT-01",
        "marketing",
        "marketing",
        "service",
        "members",
        3,
        False,
        "توريد محصول البن للتسويق",
        "Crop delivery for marketing",
        "حجز موعد لتوريد محصولك إلى الجمعية، ليوزن ويُفحص ويُسوّق.",
        "Book a slot to deliver your crop to the cooperative, to be weighed, checked and marketed.",
        "موعد استلام، ثم رقم دفعة (لوت) وسند استلام.",
        "A receiving slot, then a lot number and a delivery receipt.",
        [
            (
                "crop_form",
                "شكل المحصول",
                "Crop form",
                "choice",
                True,
                "fresh_cherry|كرز طازج|Fresh cherry\ndried_cherry|كرز مجفف|Dried cherry\ngreen|بن أخضر|Green bean",
            ),
            ("kg", "الكمية التقديرية (كجم)", "Estimated quantity (kg)", "number", True, ""),
            ("harvest_date", "تاريخ الحصاد", "Harvest date", "date", True, ""),
            (
                "process",
                "طريقة المعالجة",
                "Processing method",
                "choice",
                True,
                "natural|طبيعية (مجففة)|Natural\nwashed|مغسولة|Washed\nhoney|عسلية|Honey",
            ),
            ("transport", "أحتاج نقلًا", "Transport needed", YES_NO, True, ""),
        ],
        [],
    ),
    (
        "MKT-02",
        "marketing",
        "marketing",
        "service",
        "members",
        7,
        False,
        "طلب فحص جودة وتذوق",
        "Quality test and cupping",
        "فحص الرطوبة والعيوب والحجم، واختبار التذوق بمعايير SCA.",
        "Moisture, defect and screen-size tests, and SCA cupping.",
        "تقرير مختبر بالدرجة.",
        "A lab report with the score.",
        [
            ("lot", "رقم الدفعة أو وصف العينة", "Lot number or sample", "text", True, ""),
            ("tests", "الفحوص المطلوبة", "Tests wanted", "long_text", True, ""),
        ],
        [],
    ),
    (
        "MKT-03",
        "marketing",
        "marketing",
        "service",
        "members",
        5,
        False,
        "خدمة المعالجة والتحميص والتعبئة",
        "Processing, roasting and packing service",
        "تجفيف محصولك وتقشيره وتحميصه وطحنه وتعبئته.",
        "Drying, hulling, roasting, grinding and packing of your own crop.",
        "العبوات المُعلَّمة بسند استلام.",
        "Labelled packs handed over against a receipt.",
        [
            ("lot", "رقم الدفعة", "Lot", "text", True, ""),
            (
                "roast",
                "درجة التحميص",
                "Roast level",
                "choice",
                True,
                "light|شقراء (فاتحة)|Light (blond)\nmedium|متوسطة|Medium",
            ),
            ("pack_size", "حجم العبوة (جم)", "Pack size (g)", "number", True, ""),
            ("label", "نص الملصق", "Label text", "text", False, ""),
        ],
        [],
    ),
    (
        "FIN-01",
        "finance",
        "finance",
        "service",
        "members",
        1,
        False,
        "كشف الأرباح والعائد على المعاملات",
        "Dividend and patronage refund statement",
        "كشف بربح أسهمك والعائد على معاملاتك مع الجمعية والخصومات، لسنة مالية تختارها.",
        "A statement of your dividend, patronage refund and deductions for a fiscal year you choose.",
        "كشف بصيغة PDF.",
        "A PDF statement.",
        [("fiscal_year", "السنة المالية", "Fiscal year", "number", True, "")],
        [],
    ),
    (
        "SUP-01",
        "support",
        "member-services",
        "service",
        "members",
        5,
        False,
        "المساعدة في التقديم على برامج الدعم",
        "Help applying to support programmes",
        "يساعدك مستشار الجمعية في التقديم على برنامج ريف أو صندوق التنمية الزراعية أو السجل الزراعي. لا نطلب كلمات مرورك أبدًا.",
        "The cooperative's adviser helps you apply to Reef, the Agricultural Development Fund or the agricultural register. "
        "We never ask for your passwords.",
        "مراجعة الأهلية، والتقديم بحسابك، وحفظ رقم طلب البرنامج.",
        "Eligibility reviewed, the application made under your own login, and the programme's reference kept.",
        [
            (
                "programme",
                "البرنامج",
                "Programme",
                "choice",
                True,
                "reef|برنامج ريف|Reef\nadf|صندوق التنمية الزراعية|Agricultural Development Fund\n"
                "register|السجل الزراعي|Agricultural register",
            ),
            ("need", "وصف الاحتياج", "What you need", "long_text", True, ""),
            (
                "consent",
                "أوافق على اطلاع مستشار الجمعية على بياناتي",
                "I agree that the adviser sees my data",
                YES_NO,
                True,
                "",
            ),
        ],
        [],
    ),
    (
        "CNT-01",
        "communication",
        "customer-care",
        "complaint",
        "members",
        5,
        False,
        "شكوى",
        "Complaint",
        "شكوى على خدمة أو إجراء؛ تُصعَّد إلى الإدارة إن لم تُحل خلال خمسة أيام عمل.",
        "A complaint about a service or a procedure; escalated to management if not resolved within five working days.",
        "حل الشكوى أو إغلاقها مع التوضيح، واستبانة رضا.",
        "The complaint resolved or closed with an explanation, and a survey.",
        [
            ("topic", "الموضوع", "Topic", "text", True, ""),
            ("description", "التفاصيل", "Details", "long_text", True, ""),
            (
                "reply_channel",
                "قناة الرد المفضلة",
                "Preferred reply channel",
                "choice",
                False,
                "portal|البوابة|Portal\nsms|رسالة نصية|Text message\nphone|اتصال هاتفي|Phone call",
            ),
        ],
        [("مرفقات", "Attachments", False, "pdf,jpeg,png")],
    ),
    (
        "CNT-02",
        "communication",
        "customer-care",
        "suggestion",
        "members",
        10,
        False,
        "مقترح",
        "Suggestion",
        "مقترح لتحسين خدمات الجمعية؛ تُدرج المقترحات المقبولة في التقرير السنوي.",
        "A suggestion to improve the cooperative's services; accepted suggestions are listed in the annual report.",
        "إشعار بالاستلام، ثم القرار.",
        "An acknowledgement, then the decision.",
        [
            ("topic", "الموضوع", "Topic", "text", True, ""),
            ("description", "المقترح", "Your suggestion", "long_text", True, ""),
        ],
        [],
    ),
    (
        "CNT-03",
        "communication",
        "customer-care",
        "inquiry",
        "members_and_applicants",
        2,
        False,
        "استفسار",
        "Inquiry",
        "سؤال عن خدمات الجمعية أو عضويتك أو معاملاتك.",
        "A question about the cooperative's services, your membership or your transactions.",
        "إجابة مكتوبة في صفحة الطلب.",
        "A written answer on the request page.",
        [
            ("topic", "الموضوع", "Topic", "text", True, ""),
            ("question", "سؤالك", "Your question", "long_text", True, ""),
        ],
        [],
    ),
]

FAQ = [
    (
        None,
        "من يستطيع تقديم الطلبات في البوابة؟",
        "Who can submit requests in the portal?",
        "الأعضاء العاملون في الجمعية العمومية. ويستطيع طالب العضوية تقديم طلب العضوية فقط.",
        "Active General Assembly members. A membership applicant may only apply for membership.",
    ),
    (
        None,
        "كيف أتابع طلبي؟",
        "How do I follow my request?",
        "من صفحة «طلباتي» ترى حالة كل طلب وتاريخ تقديمه والموعد المتوقع لإنجازه، وتصلك رسالة نصية عند كل تغيير.",
        '"My requests" shows each request\'s status, submission date and expected completion date; '
        "a text message tells you of every change.",
    ),
    (
        None,
        "هل تُحسب أيام الانتظار عليّ إذا أُعيد طلبي لاستكمال النواقص؟",
        "Does the waiting time count when my request is returned for completion?",
        "لا. تتوقف مدة الإنجاز ما دام الطلب معادًا لاستكمال النواقص، وتُستأنف عند إعادة تقديمه.",
        "No. The clock stops while the request is returned for completion and resumes when you resubmit it.",
    ),
    (
        None,
        "ما أنواع الملفات المقبولة؟",
        "Which files are accepted?",
        "ملفات PDF والصور بصيغة JPEG وPNG، بحد أقصى 10 ميجابايت للملف.",
        "PDF files and JPEG or PNG images, up to 10 MB each.",
    ),
    (
        None,
        "كيف أتحقق من صحة إيصال طلب؟",
        "How do I check that a request receipt is genuine?",
        "امسح رمز الاستجابة السريعة (QR) في الإيصال؛ تفتح صفحة التحقق وتعرض رقم الطلب والخدمة والتاريخ والحالة.",
        "Scan the QR code on the receipt: the verification page shows the request number, service, date and status.",
    ),
    (
        "MEM-04",
        "هل أسترد قيمة أسهمي كاملة عند الانسحاب؟",
        "Do I get the full value of my shares back when I withdraw?",
        "تُرد قيمة الأسهم مضافًا إليها أو مخصومًا منها نصيبها من الأرباح أو الخسائر وفق آخر حسابات ختامية معتمدة.",
        "You get the shares' value plus or minus their share of profit or loss per the last approved final accounts.",
    ),
    (
        "MEM-02",
        "هل يوجد حد أعلى للأسهم؟",
        "Is there a maximum number of shares?",
        "نعم، لا يجوز أن يملك العضو أكثر من 10٪ من رأس مال الجمعية.",
        "Yes: no member may hold more than 10 % of the cooperative's capital.",
    ),
    (
        "FRM-01",
        "هل الشتلات مجانية؟",
        "Are the seedlings free?",
        "تُباع الشتلات للأعضاء بسعر الأعضاء المعلن، وقد تتوفر شتلات مدعومة حسب برامج الدعم.",
        "Seedlings are sold to members at the published member price; subsidised seedlings may be available "
        "through support programmes.",
    ),
    (
        "CNT-01",
        "هل تصل شكواي إلى الإدارة؟",
        "Does my complaint reach management?",
        "نعم، إذا لم تُحل الشكوى خلال خمسة أيام عمل تُصعَّد تلقائيًا إلى الإدارة.",
        "Yes: a complaint not resolved within five working days is escalated to management.",
    ),
    (
        "SUP-01",
        "هل تحتاج الجمعية كلمة مرور النفاذ الوطني؟",
        "Does the cooperative need my Nafath password?",
        "لا، أبدًا. يساعدك المستشار وأنت تقدم بحسابك بنفسك.",
        "Never. The adviser helps while you apply under your own login.",
    ),
]


def _days(start: datetime.date, count: int) -> list[datetime.date]:
    return [start + datetime.timedelta(days=offset) for offset in range(count)]


# [V] The official leave is announced each year; administrators adjust these in the admin.
HOLIDAYS = (
    [
        (datetime.date(2026, 2, 22), "يوم التأسيس", "Founding Day"),
        (datetime.date(2026, 9, 23), "اليوم الوطني", "National Day"),
    ]
    + [(day, "إجازة عيد الفطر", "Eid al-Fitr holiday") for day in _days(datetime.date(2026, 3, 19), 5)]
    + [(day, "إجازة عيد الأضحى", "Eid al-Adha holiday") for day in _days(datetime.date(2026, 5, 26), 5)]
    + [
        (datetime.date(2027, 2, 22), "يوم التأسيس", "Founding Day"),
        (datetime.date(2027, 9, 23), "اليوم الوطني", "National Day"),
    ]
    + [(day, "إجازة عيد الفطر", "Eid al-Fitr holiday") for day in _days(datetime.date(2027, 3, 8), 5)]
    + [(day, "إجازة عيد الأضحى", "Eid al-Adha holiday") for day in _days(datetime.date(2027, 5, 15), 5)]
)


def seed(apps, schema_editor):
    Department = apps.get_model("requests_app", "Department")
    Category = apps.get_model("requests_app", "Category")
    RequestType = apps.get_model("requests_app", "RequestType")
    RequestField = apps.get_model("requests_app", "RequestField")
    RequestDocument = apps.get_model("requests_app", "RequestDocument")
    FrequentQuestion = apps.get_model("requests_app", "FrequentQuestion")
    Holiday = apps.get_model("requests_app", "Holiday")

    departments = {
        code: Department.objects.get_or_create(code=code, defaults={"name_ar": ar, "name_en": en})[0]
        for code, ar, en in DEPARTMENTS
    }
    categories = {
        code: Category.objects.get_or_create(code=code, defaults={"name_ar": ar, "name_en": en, "order": order})[0]
        for code, ar, en, order in CATEGORIES
    }
    for order, row in enumerate(SERVICES):
        (code, category, department, kind, audience, sla, board, name_ar, name_en, description_ar, description_en,
         outcome_ar, outcome_en, fields, documents) = row  # fmt: skip
        request_type, created = RequestType.objects.get_or_create(
            code=code,
            defaults={
                "category": categories[category], "department": departments[department], "kind": kind,
                "audience": audience, "sla_days": sla, "needs_board_decision": board, "name_ar": name_ar,
                "name_en": name_en, "description_ar": description_ar, "description_en": description_en,
                "outcome_ar": outcome_ar, "outcome_en": outcome_en, "order": order,
            },
        )  # fmt: skip
        if not created:
            continue
        for field_order, (key, label_ar, label_en, field_type, required, choices) in enumerate(fields):
            RequestField.objects.create(
                request_type=request_type, key=key, label_ar=label_ar, label_en=label_en, field_type=field_type,
                required=required, choices=choices, order=field_order,
            )  # fmt: skip
        for document_order, (doc_ar, doc_en, required, types) in enumerate(documents):
            RequestDocument.objects.create(
                request_type=request_type, name_ar=doc_ar, name_en=doc_en, required=required, allowed_types=types,
                order=document_order,
            )  # fmt: skip
    if not FrequentQuestion.objects.exists():
        for order, (code, question_ar, question_en, answer_ar, answer_en) in enumerate(FAQ):
            FrequentQuestion.objects.create(
                request_type=RequestType.objects.filter(code=code).first() if code else None,
                question_ar=question_ar, question_en=question_en, answer_ar=answer_ar, answer_en=answer_en,
                order=order,
            )  # fmt: skip
    for day, name_ar, name_en in HOLIDAYS:
        Holiday.objects.get_or_create(date=day, defaults={"name_ar": name_ar, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0001_create_catalogue_and_requests")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
