      *> The program: amounts on stdin go to the ledger; "reload"
      *> reloads changed modules (cob_hcr_reload, in reload.c).
       IDENTIFICATION DIVISION.
       PROGRAM-ID. app.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01 WS-LINE    PIC X(40).
       01 WS-EOF     PIC X VALUE "N".
       01 WS-AMOUNT  PIC S9(9).
       01 WS-TOTAL   PIC S9(9).
       01 WS-COUNT   PIC 9(4).
       01 WS-STATUS  BINARY-LONG.
       01 WS-SHOWN   PIC -(9)9.
       PROCEDURE DIVISION.
           PERFORM UNTIL WS-EOF = "Y"
             ACCEPT WS-LINE
               ON EXCEPTION MOVE "Y" TO WS-EOF
             END-ACCEPT
             IF WS-EOF = "N"
               IF WS-LINE = "reload"
                 CALL STATIC "cob_hcr_reload" RETURNING WS-STATUS
                 MOVE WS-STATUS TO WS-SHOWN
                 DISPLAY "reload: " FUNCTION TRIM(WS-SHOWN)
               ELSE
                 MOVE FUNCTION NUMVAL(WS-LINE) TO WS-AMOUNT
                 CALL STATIC "ledger" USING WS-AMOUNT WS-TOTAL WS-COUNT
                 MOVE WS-TOTAL TO WS-SHOWN
                 DISPLAY FUNCTION TRIM(WS-LINE) ": total "
                   FUNCTION TRIM(WS-SHOWN) " after " WS-COUNT " entries"
               END-IF
               DISPLAY "ok"
             END-IF
           END-PERFORM
           STOP RUN.
