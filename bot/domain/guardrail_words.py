"""Word lists for the resident-data guardrail (bot/domain/guardrail.py).

GIVEN_NAMES: common first names in the UK, weighted to the generations who live in care homes now
(born 1920-1960) and to the communities who live and work in them; written from general knowledge, not
taken from the labelled test sentences. A first name alone only counts next to a room number or a care
event, so a name missing here is still caught with a title ("Mrs Lamb") or a room number.
NOT_NAMES: words that follow a first name in meeting notes without being a surname ("Rose Court").
NOT_SURNAMES: words that follow "Mr"/"Mrs"/"Ms" without being a surname ("Ms Teams").
"""

from __future__ import annotations

GIVEN_NAMES = frozenset("""
Ada Agnes Aileen Alice Alma Amy Ann Anna Anne Annie Audrey Ava Barbara Beatrice Beatrix Bella Bernadette Beryl
Betty Beverley Brenda Bridget Carol Caroline Catherine Cecilia Celia Charlotte Cheryl Christine Clara Clare
Connie Constance Cynthia Daisy Daphne Deborah Denise Diana Diane Doreen Doris Dorothy Edith Edna Eileen Elaine
Eleanor Elizabeth Ella Ellen Elsie Emily Emma Enid Ethel Eva Eve Evelyn Florence Frances Freda Gail Gillian
Gladys Glenda Gloria Grace Gwen Gwendoline Hazel Heather Helen Hilda Ida Irene Iris Isabel Isobel Ivy Jacqueline
Janet Janice Jean Jennifer Jessie Jill Joan Joanne Josephine Joyce Judith Julia Julie Karen Kathleen Kathryn
Kay Laura Lesley Lilian Lillian Lily Linda Lorna Louisa Louise Lucy Lynn Mabel Madeline Maggie Marcia Margaret
Marian Marie Marion Marjorie Martha Mary Maureen Mavis Maxine Meg Mildred Millie Miriam Molly Muriel Myra Nancy
Nellie Nora Norah Norma Olive Patricia Pauline Pearl Peggy Phyllis Polly Rachel Rita Rosa Rosemary Ruby Ruth
Sally Sandra Sarah Sheila Shirley Sheena Sophie Stella Susan Sylvia Teresa Theresa Valerie Vera Veronica
Violet Vivian Vivienne Wendy Winifred Yvonne
Albert Alan Alec Alexander Alfred Andrew Anthony Archibald Arnold Arthur Barry Basil Ben Bernard Bert Bill
Bob Brian Bruce Cecil Charles Charlie Christopher Clarence Clifford Colin Cyril Dave David Dennis Derek Desmond
Donald Douglas Duncan Edgar Edmund Edward Edwin Eric Ernest Ernie Eugene Fergus Francis Frank Fred Frederick
Geoffrey George Gerald Gilbert Gordon Graham Harold Harry Harvey Henry Herbert Horace Howard Hugh Ian Jack
Jacob James Jim Jimmy Joe John Joseph Keith Kenneth Kevin Laurence Lawrence Leonard Leslie Lionel Malcolm
Martin Maurice Michael Neil Neville Nigel Noel Norman Oliver Oscar Owen Patrick Paul Percy Peter Philip Ralph
Raymond Reginald Richard Robert Roger Ronald Roy Rupert Sam Samuel Sidney Simon Stanley Stephen Stuart Ted
Terence Terry Thomas Tom Tony Trevor Victor Vincent Walter Wilfred William
Aaliyah Abdul Adeola Ahmed Aisha Ali Amal Amara Amina Amir Anil Anita Arjun Asha Ayesha Bilal Chidi Chinedu
Darius Deepak Dev Fatima Funmi Gurpreet Hamid Hannah Hassan Ibrahim Imran Jasmin Jaswinder Kamala Kwame Leila
Mohammed Muhammad Nadia Nasreen Nia Nkechi Olu Oluwaseun Parveen Pradeep Priya Rahul Rajesh Ravi Rukhsana
Sana Sanjay Shabnam Sunita Tariq Tunde Usha Wei Yusuf Zainab Zara
Agnieszka Bogdan Katarzyna Krzysztof Magdalena Marek Piotr Tomasz Siobhan Sean Seamus Niamh Aoife
Bronwen Dafydd Gareth Gwyneth Rhys Sian Morag Hamish Alasdair Kirsty Callum Fiona Catriona
""".split())

NOT_NAMES = frozenset("""
and teams word excel forms chair chairs manager speaker president court house lodge manor hall park view grange
home homes place close villa mews gardens garden trust council hospital hospitals road street lane avenue way
centre center unit ward team group board foundation university practice surgery clinic care health healthcare
services service commission quality kent medway sussex london county city borough north south east west nhs
icb ccg cqc uk day week month monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december
""".split())

NOT_SURNAMES = frozenset("""
and or teams word excel forms chair chairs speaker president men women
""".split())
