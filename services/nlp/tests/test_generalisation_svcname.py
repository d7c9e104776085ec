"""Service and name phenomena first met in tests/corpus/batches/svcname-*.jsonl, checked here
in other words than the corpus lines that revealed them."""

from __future__ import annotations

import datetime as dt

import pytest
from bella_nlp.extractor import extract

from .conftest import MONDAY

TORONTO = "America/Toronto"


def run(text: str, expect: str, now: dt.datetime = MONDAY, tz: str = TORONTO) -> dict:
    return extract(text, expect, now, tz).gold_fields()


def service(text: str) -> str | None:
    return run(text, "service")["service"]


def name(text: str) -> str | None:
    return run(text, "name")["name"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # A child's first visit ever.
        ("He's never been to a dentist before, he's five.", "checkup"),
        ("First trip to the dentist for my twins.", "checkup"),
        # Wisdom teeth named alone are for taking out; removal verbs.
        ("My wisdom tooth, the top one.", "extraction"),
        ("That molar has to go, it's done.", "extraction"),
        ("I just want the tooth gone, honestly.", "extraction"),
        ("Can you get rid of my bad tooth?", "extraction"),
        ("My daughter needs a molar out.", "extraction"),
        # Dull or discoloured teeth.
        ("I'd like my smile brightened a bit.", "whitening"),
        ("My teeth are kind of yellowish from tea.", "whitening"),
        ("They're discoloured from years of coffee.", "whitening"),
        # Straightening and replacing teeth.
        ("My son's teeth are really crooked.", "consultation"),
        ("There's a gap between my front teeth I want closed.", "consultation"),
        ("Something for the gap where my tooth was pulled, so I can fill it.", "consultation"),
        ("My partial plate needs redoing.", "consultation"),
        # A service named as a place: severe pain wins.
        ("The gum behind my bridge is throbbing.", "emergency"),
        ("The tooth under the filling is killing me.", "emergency"),
        # Swelling in other words.
        ("My cheek ballooned overnight.", "emergency"),
        ("There's a pimple on my gum that keeps coming back.", "emergency"),
        ("My kid knocked his front tooth out on the trampoline.", "emergency"),
        # Still what they were before.
        ("There's a gap where my old filling was.", "filling"),
        ("I need to go to the dentist for a cleaning.", "cleaning"),
    ],
)
def test_batch01_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "I could go Tuesday.",
        "I need to go soon, can you book me?",
        "Yellow Line, is that near you?",
    ],
)
def test_removal_and_colour_words_need_teeth_on_other_lines(text: str) -> None:
    assert run(text, "intent")["service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # "as in", "for", "like" after a spelled letter.
        ("Dubois. D as in dog, U B O I S.", "Dubois"),
        ("It's Gwen. G for golf, W E N. Gwen Pryce.", "Gwen Pryce"),
        ("Tariq, T like tango, A R I Q.", "Tariq"),
        # A remark about how the name is written, between its parts.
        ("Anne-Sophie, with the dash, Caron.", "Anne-Sophie Caron"),
        ("Mary Lou, two words, Hatfield.", "Mary Lou Hatfield"),
        ("Noémie, accent on the E, Roy.", "Noémie Roy"),
        # A capitalised common word inside a name.
        ("It's Clara Many Fingers.", "Clara Many Fingers"),
        # Requests to write a name down; statements of the name.
        ("Can you just put it under Farida Noor?", "Farida Noor"),
        ("Would you book me in as Trevor Sandoval?", "Trevor Sandoval"),
        ("Her name should be Wanjiru Otieno.", "Wanjiru Otieno"),
        ("The name on the account is Desmond Carrière.", "Desmond Carrière"),
        ("The booking's under Ravi Menon.", "Ravi Menon"),
        ("That'd be Ilse Vandermeer.", "Ilse Vandermeer"),
        ("I'm calling on behalf of Ernest Blackbird.", "Ernest Blackbird"),
        # A nickname, then the full name.
        ("People call me Nat, but it's Natalia Horvat.", "Natalia Horvat"),
        ("Most people call me Sunny.", "Sunny"),
        # A remark between a name and its spelling.
        ("Aisling, I know, nobody can spell it, A I S L I N G, Nolan.", "Aisling Nolan"),
        # Not names.
        ("Mark Boudreau.", "Mark Boudreau"),
        ("Have a look in your system, it should be there.", None),
        ("Can you hold on a sec?", None),
    ],
)
def test_batch01_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # A general look at everything.
        ("Haven't been in years, just want a quick look-see.", "checkup"),
        ("New benefits, so I'd like to get all of us checked.", "checkup"),
        ("A general exam, nothing specific.", "checkup"),
        # Whitening in the words of the wish.
        ("I'm after pearly whites for my graduation.", "whitening"),
        ("I'd like a whiter smile before my trip.", "whitening"),
        # Pain in other words, or by the painkiller.
        ("My back tooth is stabbing me every time I eat.", "emergency"),
        ("I've been living on Tylenol for three days.", "emergency"),
        # The urgency words negated, the rest still read.
        ("It's not an emergency, I just need my teeth cleaned.", "cleaning"),
        ("Non-urgent, a checkup whenever.", "checkup"),
        ("Not urgent but my gum is swollen.", "emergency"),
        # A service at a past visit is history; what it found is the request.
        ("At my last cleaning they said I need a crown.", "crown"),
        ("Since my last checkup a filling came loose.", "filling"),
        ("It's been two years since my last cleaning.", "cleaning"),
        # Drilling.
        ("They need to drill the cavity on my left side.", "filling"),
    ],
)
def test_batch02_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Schedule me in as Farouk Benali.", "Farouk Benali"),
        ("You can sign her up under Oona Gillespie.", "Oona Gillespie"),
        ("They call me Dee, but technically it's Deirdre Lynch.", "Deirdre Lynch"),
        ("It's Siobhan. S I O B H A N. Pronounced Shivawn.", "Siobhan"),
        ("My sister-in-law's name is Preeti Sharma.", "Preeti Sharma"),
        ("Her first is Amina, last is Yusuf.", "Amina Yusuf"),
        ("The last one's Okonkwo, first one's Ada.", "Ada Okonkwo"),
        # A title with the surname, then the first name on its own.
        ("It's Mr. Dubé. Gilles.", "Gilles Dubé"),
        ("Ms. Achterberg, first name Hanna.", "Hanna Achterberg"),
        ("It's Mrs. Ferreira.", "Ferreira"),
    ],
)
def test_batch02_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("A quote on a bridge for the missing ones.", "consultation"),
        ("Teeth buffed, nothing else.", "cleaning"),
        # A correction between two services: the later one.
        ("A checkup... no, wait, I mean a cleaning.", "cleaning"),
        ("Whitening, or rather a consult about veneers.", "consultation"),
        # An added service is not a correction.
        ("A cleaning, sorry, and also whitening.", "cleaning"),
        # A blow to the mouth.
        ("She got elbowed in the mouth at basketball and the tooth is bent back.", "emergency"),
        ("He took a baseball to the face this afternoon.", "emergency"),
        ("There's a bit of blood in the sink every morning.", "emergency"),
    ],
)
def test_batch03_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Can you push my appointment back a week?",
        "I'd like to push it to Friday, please.",
        "Swellington Street, is that you guys?",
    ],
)
def test_emergency_words_are_whole_words(text: str) -> None:
    # "pus" is not "push".
    assert run(text, "intent")["service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # The role said after the name.
        ("Yoshida is the surname, and Emi is my first name.", "Emi Yoshida"),
        ("Tomasz. That's my first name. Wójcik.", "Tomasz Wójcik"),
        ("Delacroix's the last name, Odile is the first name.", "Odile Delacroix"),
        # "let's say", "go with"
        ("Let's go with Ingrid Solberg.", "Ingrid Solberg"),
        ("How about Ross Tanaka-Mills.", "Ross Tanaka-Mills"),
    ],
)
def test_batch03_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Periodontal maintenance, every four months.", "cleaning"),
        ("I think it's a dry socket from the wisdom tooth.", "emergency"),
        ("Her teeth are crowding since she lost her retainer.", "consultation"),
        # A later choice after "actually no" / "make it".
        ("A filling. Actually, no, a crown, the dentist said.", "crown"),
        ("Checkup, or make it a cleaning, whatever's sooner.", "cleaning"),
        # A service already had, then pain: the pain is why they call.
        ("My mouth has been throbbing since the root canal.", "emergency"),
        ("I got a filling yesterday and now it really hurts.", "emergency"),
        # ... and without pain, that service again.
        ("Since my last cleaning it's been two years.", "cleaning"),
    ],
)
def test_batch04_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("You'd have me under Pelletier, Gilles Pelletier.", "Gilles Pelletier"),
        ("I should be in the system as Nora Quill.", "Nora Quill"),
        ("Maybe look under Adeyemi.", "Adeyemi"),
        ("Try Bashir, Omar Bashir.", "Omar Bashir"),
        ("Her health card says Lucienne Arsenault.", "Lucienne Arsenault"),
        ("It'll say Kazuo Ito.", "Kazuo Ito"),
        ("Name is Folasade, F O L A S A D E, and Ogun, O G U N.", "Folasade Ogun"),
        ("Look, I just want to book.", None),
    ],
)
def test_batch04_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Their teeth could use a proper scrubbing.", "cleaning"),
        ("A first check for my toddler.", "checkup"),
        ("He hasn't visited a dentist since he was a baby.", "checkup"),
        ("You sent me a recall card, so I'm calling.", "checkup"),
        ("Her top and bottom teeth don't line up when she closes.", "consultation"),
        ("The back ones have holes in them, I can see them.", "filling"),
        ("My molar split in two on a cherry pit.", "emergency"),
        # A crown or filling that came off stays that service.
        ("The cap on my eye tooth popped off.", "crown"),
        ("A filling broke off on the side of my tooth.", "filling"),
    ],
)
def test_batch05_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I'm Mags, short for Magdalena. Magdalena Wróbel.", "Magdalena Wróbel"),
        ("The patient is Hamid Sultani.", "Hamid Sultani"),
        ("He's Ronan, and the surname is Keogh.", "Ronan Keogh"),
        ("Ilona, I L O N A, it's Hungarian, Farkas.", "Ilona Farkas"),
        ("Tiago, T I A G O, no H, Moniz.", "Tiago Moniz"),
        # A part said after "and" is not swallowed as a remark.
        ("It's Wren, W R E N, and the last name is Ashby.", "Wren Ashby"),
    ],
)
def test_batch05_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("His upper plate is cracked down the middle.", "consultation"),
        ("Just to see if my teeth are still in good shape.", "checkup"),
        ("Want to check that everything is fine before I travel.", "checkup"),
        # Pain still wins over the wish for reassurance.
        ("My tooth aches, I want to make sure everything's okay.", "emergency"),
        ("The dentist wants to do a root canal and I'd like another opinion.", "consultation"),
        ("A different opinion on the extraction they suggested.", "consultation"),
    ],
)
def test_batch06_services(text: str, value: str | None) -> None:
    assert service(text) == value


def test_a_full_plate_is_not_dentures() -> None:
    assert run("I've got a lot on my plate, can we move it?", "intent")["service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Kristen, K R I S T E N, with an E, not an A, Lavoie.", "Kristen Lavoie"),
        ("Omar, O M A R, that's my husband, Omar Aziz.", "Omar Aziz"),
        ("Put Maureen, Maureen's fine.", "Maureen"),
        ("Otis's the name.", "Otis"),
    ],
)
def test_batch06_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("My feeling fell out last night.", "filling"),
        ("Two feelings on the left side.", "filling"),
        ("Prophylaxis, adult.", "cleaning"),
        ("Bite wings and a panoramic, the whole thing.", "checkup"),
        ("It's impossible to chew anything on that side.", "emergency"),
        ("A consult for a gum graft.", "consultation"),
        ("There's a tiny hole near the gum line.", "filling"),
        ("A post and core before the cap.", "crown"),
    ],
)
def test_batch07_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "I have a feeling I'm overdue, honestly.",
        "Do you have a hole in your schedule Thursday?",
    ],
)
def test_filling_words_need_their_context(text: str) -> None:
    assert run(text, "intent")["service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Everyone says Liz, but the appointment should say Elżbieta Nowak.", "Elżbieta Nowak"),
        ("There. It's Bernard. Satisfied?", "Bernard"),
    ],
)
def test_batch07_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "I'm on blood thinners, is that a problem?",
        "Are you the office by the bridge on Main?",
        "I need to straighten out my bill.",
        "Is there one out by the airport?",
        "It has to go to next week, sorry.",
        "I want to get rid of it, just cancel please.",
        "The dates don't line up for me.",
        "Can you first check if Saturday is open?",
        "I have my card with me.",
    ],
)
def test_new_service_words_stay_quiet_on_other_lines(text: str) -> None:
    assert run(text, "intent")["service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Their teeth are kind of greyish, can they be brighter?", "whitening"),
        ("Something to replace my missing molar, like a fake tooth.", "consultation"),
        ("The kind where they screw one in.", "consultation"),
    ],
)
def test_batch08_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("He's called Bastien. Bastien Morin.", "Bastien Morin"),
        ("I'm named after my grandmother, Philomena Doyle.", "Philomena Doyle"),
        ("It's Oskar... O S K A R... Lindgren.", "Oskar Lindgren"),
        ("Thanks, Bella.", None),
        ("Hi Bella, it's Ruth Okafor.", "Ruth Okafor"),
        ("Bella Marchand.", "Bella Marchand"),
    ],
)
def test_batch08_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("They scraped my teeth last year, I need that again.", "cleaning"),
        ("My daughter has buck teeth, we want to see about fixing them.", "consultation"),
        # A service done in the past, then pain: an emergency; without pain: that service.
        ("The crown I got two weeks ago aches when I bite.", "emergency"),
        ("The filling from last week is sore.", "emergency"),
        ("I had a cleaning a while back and want another.", "cleaning"),
        # Damage to the thing itself stays that service.
        ("The crown they put in is loose already.", "crown"),
    ],
)
def test_batch09_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Her name is Joy, like joy. Joy Mbeki.", "Joy Mbeki"),
        ("Just tell them it's Uncle Ray. Ray Dumont.", "Ray Dumont"),
        ("Tell the hygienist it's Nana Rose, Rose Cheechoo.", "Rose Cheechoo"),
        ("Chen. Like Julie Chen. First name Xiu.", "Xiu Chen"),
    ],
)
def test_batch09_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # One letter off a key word answers a service question.
        ("Extration, the bottom one.", "extraction"),
        ("I think it's an abcess.", "emergency"),
        # Recognition's "widening" for whitening.
        ("I'd like to get my teeth widening done.", "whitening"),
    ],
)
def test_batch10_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("It's Philips with one L, Anna Philips.", "Anna Philips"),
        ("Ó Dálaigh, Cathal Ó Dálaigh.", "Cathal Ó Dálaigh"),
        ("Áine, A I N E, Ó Riordáin.", "Áine Ó Riordáin"),
    ],
)
def test_batch10_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I want to do something about my smile, it's all gums.", "consultation"),
        ("A full makeover, veneers maybe.", "consultation"),
        ("I felt something crunch when I bit into a nut.", "emergency"),
        ("Root work on the upper molar.", "root_canal"),
        ("It can't be saved, they said, so it has to come out.", "extraction"),
        ("I need them pulled, both of them.", "extraction"),
        ("Once a year, the regular thing.", "checkup"),
        ("Could I get my teeth looked at?", "checkup"),
        # A frequency word before a named service is that service.
        ("The annual dental cleaning.", "cleaning"),
        ("A routine filling on the left.", "filling"),
        # Pain still wins over wanting a look.
        ("My tooth hurts, I need it looked at.", "emergency"),
    ],
)
def test_batch11_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hers is Valentina Greco.", "Valentina Greco"),
        ("Mine's Bartholomew Oyelowo.", "Bartholomew Oyelowo"),
    ],
)
def test_batch11_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Something to put a new tooth in the gap.", "consultation"),
        ("Her tooth got pushed out of line when she fell.", "emergency"),
        ("The dentist wanted a re-check in six weeks.", "checkup"),
        # A service said in the passive is one already had.
        ("The one that was filled in spring is throbbing now.", "emergency"),
        ("My molar got pulled on Monday and now my jaw aches.", "emergency"),
        # A new tooth growing in is not a replacement.
        ("My son's new teeth are coming in behind the baby ones.", None),
    ],
)
def test_batch12_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Family name first? Okay. Tanaka. Then Yumi.", "Yumi Tanaka"),
        ("It's Ms. Ho, H O, Winnie Ho.", "Winnie Ho"),
        ("It's Aliyah with an H, A L I Y A H, Grant.", "Aliyah Grant"),
        ("Catherine, but spelled with a K, K A T H E R I N E, Doyle.", "Katherine Doyle"),
        ("We're booking it for Amara, Amara Nwachukwu.", "Amara Nwachukwu"),
        ("Darius... no, D A R I U S, Darius.", "Darius"),
    ],
)
def test_batch12_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("There's a gum boil above my canine.", "emergency"),
        ("A molar came out while I was eating, I'm an adult.", "emergency"),
        ("I want them whiter for my photos.", "whitening"),
        ("Two shades whiter would be nice.", "whitening"),
        ("Have the dentist look everything over.", "checkup"),
        # A child's baby tooth coming out is no emergency by itself.
        ("His baby tooth fell out at school, so a checkup.", "checkup"),
    ],
)
def test_batch13_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Could you write the name as Mrs. Okeke?", "Okeke"),
        ("It's Marta, and the surname is long, Szczepańska-Nowak.", "Marta Szczepańska-Nowak"),
        ("Last name is tricky, sorry. Przybylski. First name Jan.", "Jan Przybylski"),
    ],
)
def test_batch13_names(text: str, value: str | None) -> None:
    assert name(text) == value


def test_a_restatement_run_into_a_remark_by_recognition() -> None:
    # "It'd be Dolores, like Dolores Claiborne. Dolores Aubin." as recognition runs it together.
    assert name("It'd be Dolores, like the movie Dolores Aubin.") == "Dolores Aubin"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("She was struck with a baseball bat, by accident.", "emergency"),
        ("Routine visits for the three of us.", "checkup"),
        ("Gross debridement, the hygienist called it.", "cleaning"),
    ],
)
def test_batch14_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sunday Nwosu.", "Sunday Nwosu"),
        ("Can we do Sunday?", None),
    ],
)
def test_batch14_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # A key word negated or already had is not found again by the fuzzy match.
        ("No whitening, I did that in June.", None),
        ("I'm told not to have a crown, so they'll pull it instead.", "extraction"),
        ("Her partial is rubbing on the gum.", "consultation"),
    ],
)
def test_batch15_services(text: str, value: str | None) -> None:
    assert service(text) == value


def test_a_partial_payment_is_not_a_denture() -> None:
    assert run("Can I make a partial payment?", "intent")["service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Prénom Josée, nom de famille Lavoie.", "Josée Lavoie"),
        ("C'est Annick, et mon nom de famille, c'est Poirier.", "Annick Poirier"),
        ("This is Reverend Alice Whitehorse.", "Alice Whitehorse"),
        ("It'd be under Ali or perhaps Alison. Alison Kerr.", "Alison Kerr"),
        ("Probably under Dmitri Sokolov.", "Dmitri Sokolov"),
    ],
)
def test_batch15_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Swap my old amalgam for a white one.", "filling"),
        ("The pulp is dying, they said.", "root_canal"),
        ("An RCT and then a crown.", "root_canal"),
        ("Get the kids' choppers looked at.", "checkup"),
        ("Recare visit.", "checkup"),
        # A repair: what follows "I mean" is what was meant.
        ("Swollen, I mean, it needs a cleaning, the gums are a bit puffy.", "emergency"),
        ("An emergency, I mean a cleaning, sorry, wrong word.", "cleaning"),
    ],
)
def test_batch17_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Mei Ling, two words, Mei Ling Chow.", "Mei Ling Chow"),
        ("Anne-Marie, with a hyphen, Anne-Marie Roy.", "Anne-Marie Roy"),
        ("Mary Anne, two words, Kelly.", "Mary Anne Kelly"),
    ],
)
def test_batch18_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Can you make her teeth straight?", "consultation"),
        ("I want them nice and straight.", "consultation"),
    ],
)
def test_batch19_services(text: str, value: str | None) -> None:
    assert service(text) == value


def test_straight_to_the_point_is_not_orthodontics() -> None:
    assert run("I'll get straight to it, can I book Tuesday?", "intent")["service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("After the extraction, to talk about an implant.", "consultation"),
        ("I'm missing a back tooth and want it replaced.", "consultation"),
        ("To replace my front tooth that got pulled.", "consultation"),
    ],
)
def test_batch20_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Um, Dr. Singh told me to call.", None),
        ("Oh, Mrs. Okafor said you'd have a spot.", None),
        ("It's Dr. Amara Singh.", "Amara Singh"),
        ("On my insurance card it's Siddharth Rao.", "Siddharth Rao"),
        ("In Mandarin it's Zhang Wei, but put Wendy Zhang.", "Wendy Zhang"),
        ("His real name is Olufemi Bakare.", "Olufemi Bakare"),
        ("The name to use is Harriet Blaine.", "Harriet Blaine"),
        ("My licence says Jean-Guy Pelletier.", "Jean-Guy Pelletier"),
        ("Tomas K., K for kilo, Tomas Kral.", "Tomas Kral"),
    ],
)
def test_batch20_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonding to fix the gap up front.", "consultation"),
        ("Her teeth are overcrowded, the dentist said braces.", "consultation"),
    ],
)
def test_batch21_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Chan Tai Man, but I'm known as Tony. Tony Chan.", "Tony Chan"),
        ("Francisco Javier Morales, but I go by Javi.", "Francisco Javier Morales"),
        ("This is Sister Agnes Pelletier.", "Agnes Pelletier"),
        ("It's Mx. Robin Tait.", "Robin Tait"),
        ("Anne, two Ns and an E, Leclair.", "Anne Leclair"),
        ("Siobhan, S I O B H A N, Kelly.", "Siobhan Kelly"),
    ],
)
def test_batch21_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Please white my teeth, they are dark.", "whitening"),
        ("Check the teeth for my two boys.", "checkup"),
        ("Getting both wisdoms out.", "extraction"),
        ("Her wisdoms, the dentist mentioned them.", "extraction"),
        ("My pearly whites polished, please.", "cleaning"),
        ("I'm after pearly whites for the wedding.", "whitening"),
        ("His teeth need looking at.", "checkup"),
        ("Can the dentist take a peek?", "checkup"),
        ("A front tooth wiggles since the fall.", "emergency"),
    ],
)
def test_batch22_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Angus McInnis, Mc I N N I S.", "Angus McInnis"),
        ("It's Tina Bird.", "Tina Bird"),
        ("Robin, like the bird.", "Robin"),
        ("Doris Day, no relation.", "Doris Day"),
    ],
)
def test_batch22_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("If you pull up my chart you'll see I need a crown.", "crown"),
        ("On a scale from one to ten the pain is a nine.", "emergency"),
        ("There's no swelling or bleeding, it's just a checkup.", "checkup"),
        ("We don't have any emergency, a cleaning for both.", "cleaning"),
        ("Just the usual, whatever I had last time.", "checkup"),
        ("Scaling of the upper teeth.", "cleaning"),
        ("Her knee is sore, but it's for a checkup.", "checkup"),
    ],
)
def test_batch23_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Can you pull up my appointment?",
        "Is there a cap on coverage for my plan?",
        "My back is killing me from the drive, can we do later?",
    ],
)
def test_look_alike_words_on_other_lines(text: str) -> None:
    assert run(text, "intent")["service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("It's Mr. Haddad, H A D D A D, Karim.", "Karim Haddad"),
        ("Siobhan, S I O B H A N, O'Neill.", "Siobhan O'Neill"),
    ],
)
def test_batch23_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("My implant is totally fine, I need a cleaning.", "cleaning"),
        ("The root canal healed, so now the crown.", "crown"),
        ("Whitening was great last time, so whitening again.", "whitening"),
        # Only context named: that service.
        ("The filling is off, it came loose.", "filling"),
        ("I need a filling done.", "filling"),
    ],
)
def test_batch24_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Alberta Blue Cross, through my husband.", None),
        ("Empire Life. Oh, the name, Greta Lund.", "Greta Lund"),
        ("Sylvie Desjardins.", "Sylvie Desjardins"),
    ],
)
def test_batch24_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The molar with the old crown is throbbing.", "emergency"),
        ("Something's off with my crown, it's loose.", "crown"),
        ("My back tooth keeps acting up.", "emergency"),
        ("Twinges on the left whenever I drink something cold.", "emergency"),
        ("The tooth with the crown on it fell apart.", "crown"),
    ],
)
def test_batch25_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Anh Dao Tran, Tran with T R A N.", "Anh Dao Tran"),
        ("Using my married name, Ruiz. Paola Ruiz.", "Paola Ruiz"),
        ("Kate with a K, Kate Moran.", "Kate Moran"),
    ],
)
def test_batch25_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("A checkup, but mostly I want my teeth whitened.", "whitening"),
        ("The main reason is the filling that fell out, and maybe a cleaning.", "filling"),
        ("Semi-urgent, I need a filling redone.", "filling"),
        ("We just want to see a dentist, we're new in town.", "checkup"),
        ("I need to see the dentist, my tooth hurts.", "emergency"),
    ],
)
def test_batch26_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("His name Tariq Aziz.", "Tariq Aziz"),
        ("The patient's name Ines Duarte.", "Ines Duarte"),
        ("My name.", None),
    ],
)
def test_batch26_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Whitening for Mireille Dufour.", "Mireille Dufour"),
        ("The nine o'clock is for Tobi Adeyemi.", "Tobi Adeyemi"),
        ("Hold the Friday slot under Kwan.", "Kwan"),
        ("Is this for Monday?", None),
        ("It's for the three o'clock.", None),
    ],
)
def test_batch27_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Nora Blake, Red Deer.", "Nora Blake"),
        ("Felix Roy. Happy New Year!", "Felix Roy"),
        ("Eve Lam. Sorry, it's for my mother. Grace Lam.", "Grace Lam"),
        ("Ben Ito, no wait, that's my husband. Carla Ito.", "Carla Ito"),
        ("It's Big Al. Alan Pruitt.", "Alan Pruitt"),
    ],
)
def test_batch28_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("There's a crack in my back tooth.", "emergency"),
        ("His teeth have big gaps between them.", "consultation"),
        ("I'm a bit gap-toothed and want it fixed.", "consultation"),
    ],
)
def test_batch30_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize("text", ["It's Labour Day, are you open?", "Canada Day."])
def test_holidays_are_not_names(text: str) -> None:
    assert name(text) is None
    assert run(text, "intent")["name"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Book it for a Mr. Onyango, Peter Onyango.", "Peter Onyango"),
        ("It's for a patient named Lucia Ferraro.", "Lucia Ferraro"),
    ],
)
def test_batch31_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The patient, my son, is Idris Bello.", "Idris Bello"),
        ("Is Sarah there?", None),
    ],
)
def test_batch32_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("He got elbowed and now a tooth is loose.", "emergency"),
        ("I was headbutted by my toddler, my lip is fat and the tooth hurts.", "emergency"),
    ],
)
def test_batch33_services(text: str, value: str | None) -> None:
    assert service(text) == value


def test_a_bill_is_not_a_blow() -> None:
    assert run("I got hit with a bill I didn't expect, can I talk to someone?", "intent")[
        "service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Spelt K O H, Koh.", "Koh"),
        ("First name is spelled O M A R and the last name is S A L E H.", "Omar Saleh"),
        ("Spelling is N G U Y E N.", "Nguyen"),
    ],
)
def test_batch33_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("His name is Tunde but he spells it T U N D E. Tunde Bakare.", "Tunde Bakare"),
        ("This is Elder Marie Sock.", "Marie Sock"),
    ],
)
def test_batch35_names(text: str, value: str | None) -> None:
    assert name(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The periodontist said the molar has to come out.", "extraction"),
        ("Her orthodontist recommended a filling first.", "filling"),
        ("A consult with the orthodontist.", "consultation"),
        ("Gum contouring, for my smile.", "consultation"),
    ],
)
def test_batch36_services(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("A corner of my tooth chipped off, no pain at all.", "filling"),
        ("My molar cracked but it doesn't hurt.", "filling"),
        ("My molar cracked and it's killing me.", "emergency"),
    ],
)
def test_damage_without_pain_is_a_repair(text: str, value: str | None) -> None:
    assert service(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Please remove me from the schedule for Thursday.",
        "Are you the office by the Rideau Canal?",
        "My nerves are bad about dentists, is there someone gentle?",
    ],
)
def test_old_words_stay_quiet_on_other_lines(text: str) -> None:
    assert run(text, "intent")["service"] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The nerve thing, the dentist called it.", "root_canal"),
        ("I want this tooth removed.", "extraction"),
        ("The canal thing, second part.", "root_canal"),
    ],
)
def test_old_words_still_read(text: str, value: str) -> None:
    assert service(text) == value
